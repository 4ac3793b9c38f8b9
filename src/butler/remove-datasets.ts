import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { Datastore } from "../datastore/datastore.ts";
import { ArgumentError, CollectionTypeError, OrphanedRecordError } from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import type { PruneOptions } from "./butler.ts";

/** What removals need of the butler. */
export interface RemovalContext {
  readonly registry: Registry;
  readonly datastore: Datastore;
}

/**
 * daf_butler's `pruneDatasets`: untag, unstore (trash then delete artifacts) or purge (also delete the
 * registry entries). The registry part is one transaction; artifacts are deleted after it commits.
 * @throws {ArgumentError} for contradictory options. @throws {CollectionTypeError} for a tag that is not TAGGED.
 */
export async function pruneDatasets(
  context: RemovalContext,
  refs: readonly DatasetRef[],
  options: PruneOptions,
): Promise<void> {
  const { registry, datastore } = context;
  const disassociate = options.disassociate ?? options.purge ?? false;
  const unstore = options.unstore ?? options.purge ?? false;
  const tags = options.tags ?? [];
  if (options.purge === true && !(disassociate && unstore)) {
    throw new ArgumentError("purge needs disassociate and unstore", {
      hint: "Leave disassociate and unstore unset (they default to true with purge).",
    });
  }
  if (!options.purge && disassociate && tags.length === 0) {
    throw new ArgumentError("disassociate needs the TAGGED collections to remove the datasets from (tags)");
  }
  if (!options.purge && !disassociate && !unstore) {
    throw new ArgumentError("No operation: one of purge, unstore or disassociate must be given");
  }
  if (refs.some((r) => r.datasetType.component !== null)) {
    throw new ArgumentError("Cannot prune component datasets; prune their parents");
  }
  for (const tag of options.purge ? [] : tags) {
    const info = await registry.collections.getInfo(tag);
    if (info.type !== "TAGGED") {
      throw new CollectionTypeError(`Cannot disassociate from "${tag}": it is ${info.type}, not TAGGED`);
    }
  }
  await registry.transaction(async () => {
    if (unstore) await datastore.trash(refs);
    if (options.purge) await registry.datasets.remove(refs);
    else if (disassociate) for (const tag of tags) await registry.datasets.disassociate(tag, refs);
  });
  if (unstore) await datastore.emptyTrash();
}

/**
 * Delete RUN collections with every dataset in them and their artifacts; with `unlinkFromChains`, remove
 * them from the chains that list them first.
 * @throws {CollectionTypeError} when a name is not a RUN. @throws {OrphanedRecordError} while a chain lists one.
 */
export async function removeRuns(
  context: RemovalContext,
  names: readonly string[],
  unlinkFromChains: boolean,
): Promise<void> {
  const { registry, datastore } = context;
  for (const name of names) {
    const info = await registry.collections.getInfo(name);
    if (info.type !== "RUN") throw new CollectionTypeError(`Collection "${name}" is ${info.type}, not RUN`);
    // Refused before anything is trashed: an in-memory datastore's trash does not roll back with the registry.
    const parents = unlinkFromChains ? [] : await registry.collections.getParentChains(name);
    if (parents.length > 0) {
      throw new OrphanedRecordError(
        `Collection "${name}" cannot be removed: chain${parents.length > 1 ? "s" : ""} ${parents.map((p) => `"${p}"`).join(", ")} still list${parents.length > 1 ? "" : "s"} it`,
        { hint: "Remove it from those chains first, or pass unlinkFromChains (--unlink-from-chains)." },
      );
    }
  }
  const types = await registry.datasetTypes.query();
  // Sorted, so two processes removing overlapping runs take locks in the same order.
  for (const name of [...names].sort()) {
    const refs: DatasetRef[] = [];
    for (const type of types) {
      refs.push(...(await registry.datasets.query(type.name, { collections: [name] })));
    }
    await registry.transaction(async () => {
      await datastore.trash(refs);
      if (unlinkFromChains) {
        for (const parent of await registry.collections.getParentChains(name)) {
          const children = await registry.collections.getChain(parent);
          await registry.collections.setChain(
            parent,
            children.filter((c) => c !== name),
          );
        }
      }
      await registry.collections.remove(name);
    });
  }
  await datastore.emptyTrash();
}
