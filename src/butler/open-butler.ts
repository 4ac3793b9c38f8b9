import type { StorageBackends } from "../datastore/storage/storage-backends.ts";
import { readButlerConfig } from "../repository/butler-config.ts";
import { datastoreOf } from "../repository/open-datastore.ts";
import { openRegistry } from "../repository/open-registry.ts";
import type { Butler } from "./butler.ts";
import { DirectButler } from "./direct-butler.ts";

/** Options of {@link openButler}. */
export interface OpenButlerOptions {
  /** Default RUN of writes; registered when absent (implies `writeable`). */
  readonly run?: string;
  /** Default collections of reads (default: `[run]` when a run is given). */
  readonly collections?: string | readonly string[];
  /** Allow writes (default: true only when `run` is given). */
  readonly writeable?: boolean;
  /** Default data ID values, such as `{ instrument: "HSC" }`. */
  readonly dataId?: Readonly<Record<string, unknown>>;
  /**
   * The storage backends artifacts are read and written with (default: local files, and a `mem://` store
   * of this butler's own). Butlers that share one see the same `mem://` artifacts.
   */
  readonly storage?: StorageBackends;
}

/**
 * Open a repository (its directory or `butler.yaml`) as a {@link Butler}.
 * @example
 * const butler = await openButler("./repo", { run: "u/me/run1" });
 * await butler.put({ seeing: 0.7 }, "notes", { instrument: "Cam1", detector: 1 });
 * @throws {ConfigError} when there is no repository there, or its datastore config is invalid.
 * @throws {InvalidCollectionNameError} for a run name that cannot be a collection name.
 * @throws {CollectionTypeError} when `run` names a collection that is not a RUN.
 */
export async function openButler(repo: string, options: OpenButlerOptions = {}): Promise<Butler> {
  const config = await readButlerConfig(repo);
  const writeable = options.writeable ?? options.run !== undefined;
  const registry = await openRegistry(config, { writeable });
  try {
    const datastore = datastoreOf(config, registry, options.storage);
    const run = options.run ?? null;
    if (run !== null) {
      await registry.collections.register(run, "RUN");
    }
    const given = options.collections;
    const collections =
      given === undefined ? (run === null ? [] : [run]) : typeof given === "string" ? [given] : given;
    return new DirectButler({
      registry,
      datastore,
      run,
      collections,
      dataId: options.dataId ?? {},
      writeable,
    });
  } catch (error) {
    await registry.close();
    throw error;
  }
}
