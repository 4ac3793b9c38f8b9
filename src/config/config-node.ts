import { ConfigError } from "../errors.ts";
import { didYouMean } from "../util/suggest.ts";

/** Path of a child key: `a` + `b` -> `a.b`, `a` + 1 -> `a[1]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

function describeType(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

/**
 * A mapping read from a configuration file, with typed accessors whose errors name the path of the
 * offending key (`elements.visit.requires[1]: ...`). Parsing code reads every value through one of these.
 */
export class ConfigNode {
  private readonly data: Readonly<Record<string, unknown>>;
  /** Path of this mapping inside the whole configuration (empty at the top). */
  readonly path: string;

  private constructor(data: Readonly<Record<string, unknown>>, path: string) {
    this.data = data;
    this.path = path;
  }

  /**
   * Wrap `value` as a mapping.
   * @throws {ConfigError} when `value` is not a mapping.
   */
  static of(value: unknown, path: string): ConfigNode {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ConfigError(`expected a mapping, found ${describeType(value)}`, { path: path || "(top)" });
    }
    return new ConfigNode(value as Record<string, unknown>, path);
  }

  /** Keys present in this mapping, in file order. */
  keys(): string[] {
    return Object.keys(this.data);
  }

  /** Whether `key` is present (with any value other than null). */
  has(key: string): boolean {
    return this.data[key] !== undefined && this.data[key] !== null;
  }

  /** Path of `key` inside this mapping. */
  pathOf(key: string | number): string {
    return childPath(this.path, key);
  }

  /** The raw value of `key`. */
  raw(key: string): unknown {
    return this.data[key];
  }

  /**
   * Reject keys outside `allowed`, suggesting the closest allowed key.
   * @throws {ConfigError} naming the first unknown key.
   */
  rejectUnknownKeys(allowed: readonly string[]): void {
    for (const key of this.keys()) {
      if (!allowed.includes(key)) {
        throw new ConfigError(`unknown key "${key}"`, {
          path: this.pathOf(key),
          hint: didYouMean(key, allowed) ?? `Allowed keys here: ${allowed.join(", ")}.`,
        });
      }
    }
  }

  /** @throws {ConfigError} when the key is absent. */
  private required(key: string): unknown {
    const value = this.data[key];
    if (value === undefined || value === null) {
      throw new ConfigError(`missing required key "${key}"`, { path: this.path || "(top)" });
    }
    return value;
  }

  /**
   * A nested mapping.
   * @throws {ConfigError} when absent (without a default) or not a mapping.
   */
  node(key: string): ConfigNode;
  node(key: string, options: { optional: true }): ConfigNode | undefined;
  node(key: string, options: { optional?: boolean } = {}): ConfigNode | undefined {
    if (options.optional && !this.has(key)) return undefined;
    return ConfigNode.of(this.required(key), this.pathOf(key));
  }

  /**
   * A string value.
   * @throws {ConfigError} when absent (without a default) or not a string.
   */
  string(key: string, fallback?: string): string {
    if (fallback !== undefined && !this.has(key)) return fallback;
    const value = this.required(key);
    if (typeof value !== "string") {
      throw new ConfigError(`expected a string, found ${describeType(value)}`, { path: this.pathOf(key) });
    }
    return value;
  }

  /**
   * An optional string value (`undefined` when absent).
   * @throws {ConfigError} when present but not a string.
   */
  optionalString(key: string): string | undefined {
    return this.has(key) ? this.string(key) : undefined;
  }

  /**
   * An integer value.
   * @throws {ConfigError} when absent (without a default) or not an integer.
   */
  integer(key: string, fallback?: number): number {
    if (fallback !== undefined && !this.has(key)) return fallback;
    const value = this.required(key);
    if (typeof value !== "number" || !Number.isSafeInteger(value)) {
      throw new ConfigError(`expected an integer, found ${describeType(value)}`, { path: this.pathOf(key) });
    }
    return value;
  }

  /**
   * A boolean value.
   * @throws {ConfigError} when present but not a boolean.
   */
  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback;
    const value = this.data[key];
    if (typeof value !== "boolean") {
      throw new ConfigError(`expected true or false, found ${describeType(value)}`, {
        path: this.pathOf(key),
      });
    }
    return value;
  }

  /**
   * A list (empty when absent).
   * @throws {ConfigError} when present but not a list.
   */
  list(key: string): readonly unknown[] {
    if (!this.has(key)) return [];
    const value = this.data[key];
    if (!Array.isArray(value)) {
      throw new ConfigError(`expected a list, found ${describeType(value)}`, { path: this.pathOf(key) });
    }
    return value;
  }

  /**
   * A list of strings (empty when absent).
   * @throws {ConfigError} naming the first item that is not a string, or a repeated item.
   */
  stringList(key: string): readonly string[] {
    const items = this.list(key);
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const path = childPath(this.pathOf(key), index);
      if (typeof item !== "string") {
        throw new ConfigError(`expected a string, found ${describeType(item)}`, { path });
      }
      if (seen.has(item)) throw new ConfigError(`"${item}" is listed twice`, { path });
      seen.add(item);
    });
    return items as readonly string[];
  }
}
