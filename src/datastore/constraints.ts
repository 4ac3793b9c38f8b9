import { ConfigNode } from "../config/config-node.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import { ConfigError } from "../errors.ts";

/** The names a dataset type is known by in constraints: its name, its dimensions `a+b`, its storage class. */
function keysOf(type: DatasetType): string[] {
  return [type.name, type.dimensions.required.join("+"), type.storageClass, "all"];
}

/**
 * A datastore's `constraints` (daf_butler): `accept` and `reject` lists of dataset type names, dimension
 * sets (`instrument+detector`), storage class names or `all`. A type is accepted when nothing rejects it
 * and, if an accept list exists, something accepts it.
 */
export class DatastoreConstraints {
  readonly #accept: ReadonlySet<string> | null;
  readonly #reject: ReadonlySet<string>;

  private constructor(accept: ReadonlySet<string> | null, reject: ReadonlySet<string>) {
    this.#accept = accept;
    this.#reject = reject;
  }

  /** Accept everything. */
  static none(): DatastoreConstraints {
    return new DatastoreConstraints(null, new Set());
  }

  /**
   * From a `constraints:` config section.
   * @throws {ConfigError} for a malformed section, or one that both accepts and rejects `all`.
   */
  static fromConfig(raw: unknown, path: string): DatastoreConstraints {
    if (raw === undefined || raw === null) return DatastoreConstraints.none();
    const node = ConfigNode.of(raw, path);
    node.rejectUnknownKeys(["accept", "reject"]);
    const list = (key: string): string[] | null => {
      const value = node.raw(key);
      if (value === undefined || value === null) return null;
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) {
        throw new ConfigError("expected a list of names", { path: node.pathOf(key) });
      }
      return value as string[];
    };
    const accept = list("accept");
    const reject = list("reject") ?? [];
    if (accept?.includes("all") && reject.includes("all")) {
      throw new ConfigError('cannot both accept and reject "all"', { path });
    }
    return new DatastoreConstraints(accept === null ? null : new Set(accept), new Set(reject));
  }

  /** Whether datasets of this type may be stored. */
  accepts(type: DatasetType): boolean {
    const keys = keysOf(type);
    if (
      keys.some((k) => this.#reject.has(k)) &&
      !(this.#accept !== null && keys.slice(0, 3).some((k) => this.#accept?.has(k)))
    ) {
      return false;
    }
    return this.#accept === null || keys.some((k) => this.#accept?.has(k));
  }
}
