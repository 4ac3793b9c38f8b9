import { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import type { Datastore, FileDataset, TransferMode } from "../datastore/datastore.ts";
import { UndoLog } from "../datastore/undo-log.ts";
import type { DataCoordinate } from "../dimensions/data-coordinate.ts";
import {
  ArgumentError,
  CollectionTypeError,
  ConflictingDefinitionError,
  MissingCollectionError,
  NoDefaultCollectionError,
} from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import type { PutItem } from "./butler.ts";
import { type ButlerDefaults, resolveDatasetType } from "./find-dataset.ts";
import { resolveDataId, withDefaults } from "./resolve-data-id.ts";

/** What writes need of the butler. */
export interface WriteContext extends ButlerDefaults {
  readonly datastore: Datastore;
}

/**
 * Run `body` in a registry transaction with an undo log for artifacts: when anything fails, the registry
 * rolls back and the artifacts written so far are deleted, so no registry row is left without its file.
 */
export async function withUndo<T>(registry: Registry, body: (undo: UndoLog) => Promise<T>): Promise<T> {
  const undo = new UndoLog();
  try {
    const result = await registry.transaction(async () => {
      // A transaction that lost to another writer runs again: first undo what its last attempt wrote.
      await undo.rollback();
      return body(undo);
    });
    undo.commit();
    return result;
  } catch (error) {
    await undo.rollback();
    throw error;
  }
}

/**
 * The RUN a write goes to, checked to exist and be a RUN.
 * @throws {NoDefaultCollectionError} @throws {MissingCollectionError} @throws {CollectionTypeError}
 */
export async function writableRun(context: ButlerDefaults, run: string | undefined): Promise<string> {
  const name = run ?? context.run;
  if (name === null || name === undefined) {
    throw new NoDefaultCollectionError("No RUN to write to, and the butler has no default run", {
      hint: "Pass a run, or open the butler with { run }.",
    });
  }
  let type: string;
  try {
    type = (await context.registry.collections.getInfo(name)).type;
  } catch (error) {
    if (error instanceof MissingCollectionError) {
      throw new MissingCollectionError(`RUN collection "${name}" does not exist`, {
        hint: `Open the butler with { run: "${name}" } (which registers it), or register it first: butler.registry.collections.register("${name}", "RUN").`,
        cause: error,
      });
    }
    throw error;
  }
  if (type !== "RUN") {
    throw new CollectionTypeError(
      `Collection "${name}" is ${type}, not RUN; datasets can only be written to a RUN`,
    );
  }
  return name;
}

/**
 * Put objects as new datasets in one RUN, in one transaction: data IDs resolved and expanded, dataset rows
 * inserted, artifacts written and recorded.
 */
export async function putObjects(
  context: WriteContext,
  items: readonly PutItem[],
  run: string | undefined,
): Promise<DatasetRef[]> {
  const runName = await writableRun(context, run);
  const { registry } = context;
  const prepared: { type: DatasetType; dataId: DataCoordinate; object: unknown }[] = [];
  for (const item of items) {
    const { type, component } = await resolveDatasetType(registry, item.datasetType);
    if (component !== null) {
      throw new ArgumentError(`Cannot put a component ("${type.name}.${component}"); put the whole dataset`);
    }
    const { dataId } = await resolveDataId(registry, type, withDefaults(item.dataId, context.dataId), {
      expand: true,
      wantTimespan: false,
    });
    prepared.push({ type, dataId, object: item.object });
  }
  return withUndo(registry, async (undo) => {
    const refs = new Array<DatasetRef>(prepared.length);
    for (const group of groupByType(prepared)) {
      const inserted = await registry.datasets.insert(
        group.type.name,
        group.members.map((m) => m.entry.dataId),
        runName,
      );
      group.members.forEach((m, i) => {
        const id = (inserted[i] as DatasetRef).id;
        refs[m.index] = new DatasetRef(id, group.type, m.entry.dataId, runName);
      });
    }
    await context.datastore.put(
      prepared.map((p, i) => ({ ref: refs[i] as DatasetRef, object: p.object })),
      undo,
    );
    return refs;
  });
}

/**
 * Put an object for a resolved ref (its ID and RUN kept), as daf_butler does for refs.
 * @throws {ConflictingDefinitionError} when the datastore already holds the ref.
 */
export async function putResolved(
  context: WriteContext,
  object: unknown,
  ref: DatasetRef,
): Promise<DatasetRef> {
  await writableRun(context, ref.run);
  if ((await context.datastore.knows([ref])).size > 0) {
    throw new ConflictingDefinitionError(`Dataset ${ref} is already stored`);
  }
  const { dataId } = await resolveDataId(context.registry, ref.datasetType, ref.dataId, {
    expand: true,
    wantTimespan: false,
  });
  const expanded = new DatasetRef(ref.id, ref.datasetType, dataId, ref.run);
  return withUndo(context.registry, async (undo) => {
    await context.registry.datasets.import([expanded]);
    await context.datastore.put([{ ref: expanded, object }], undo);
    return expanded;
  });
}

function groupByType<T extends { type: DatasetType }>(
  entries: readonly T[],
): { type: DatasetType; members: { index: number; entry: T }[] }[] {
  const groups = new Map<string, { type: DatasetType; members: { index: number; entry: T }[] }>();
  entries.forEach((entry, index) => {
    let group = groups.get(entry.type.name);
    if (group === undefined) {
      group = { type: entry.type, members: [] };
      groups.set(entry.type.name, group);
    }
    group.members.push({ index, entry });
  });
  return [...groups.values()];
}

/**
 * Ingest files: RUNs registered when missing, refs imported with their IDs (data IDs expanded), files
 * brought in by the datastore, all in one transaction.
 * @throws {ConflictingDefinitionError} when a ref is already stored, unless `skipExisting`.
 */
export async function ingestFiles(
  context: WriteContext,
  datasets: readonly FileDataset[],
  transfer: TransferMode,
  skipExisting: boolean,
): Promise<DatasetRef[]> {
  const { registry, datastore } = context;
  for (const run of new Set(datasets.flatMap((d) => d.refs.map((r) => r.run)))) {
    await registry.collections.register(run, "RUN");
  }
  const known = await datastore.knows(datasets.flatMap((d) => d.refs));
  if (known.size > 0 && !skipExisting) {
    const first = datasets.flatMap((d) => d.refs).find((r) => known.has(r.id));
    throw new ConflictingDefinitionError(`Dataset ${first} is already stored`, {
      hint: "Use skipExisting (--skip-existing) to ingest only the others.",
    });
  }
  const expanded: FileDataset[] = [];
  for (const dataset of datasets) {
    const refs: DatasetRef[] = [];
    for (const ref of dataset.refs) {
      if (known.has(ref.id)) continue;
      const { dataId } = await resolveDataId(registry, ref.datasetType, ref.dataId, {
        expand: true,
        wantTimespan: false,
      });
      refs.push(new DatasetRef(ref.id, ref.datasetType, dataId, ref.run));
    }
    if (refs.length > 0) expanded.push({ ...dataset, refs });
  }
  return withUndo(registry, async (undo) => {
    const refs = expanded.flatMap((d) => d.refs);
    await registry.datasets.import(refs);
    await datastore.ingest(expanded, transfer, undo);
    return refs;
  });
}
