import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import { DatasetTypeNotSupportedError, StorageNotFoundError } from "../errors.ts";
import type {
  ConsistencyReport,
  DatasetUris,
  Datastore,
  DatastoreGetOptions,
  FileDataset,
  StoredArtifact,
  TransferMode,
} from "./datastore.ts";
import type { ResourceUri } from "./storage/resource-uri.ts";
import type { UndoLog } from "./undo-log.ts";

/**
 * Several datastores as one (daf_butler's ChainedDatastore): writes go to every child that accepts the
 * dataset type, reads come from the first child that has the dataset.
 */
export class ChainedDatastore implements Datastore {
  readonly name: string;
  readonly children: readonly Datastore[];

  constructor(name: string, children: readonly Datastore[]) {
    this.name = name;
    this.children = children;
  }

  get isEphemeral(): boolean {
    return this.children.every((c) => c.isEphemeral);
  }

  accepts(datasetType: DatasetType): boolean {
    return this.children.some((c) => c.accepts(datasetType));
  }

  #accepting(type: DatasetType): Datastore[] {
    const accepting = this.children.filter((c) => c.accepts(type));
    if (accepting.length === 0) {
      throw new DatasetTypeNotSupportedError(
        `No datastore of ${this.name} accepts dataset type "${type.name}"`,
        {
          hint: "Check the constraints of the chained datastores in butler.yaml.",
        },
      );
    }
    return accepting;
  }

  async put(
    items: readonly { readonly ref: DatasetRef; readonly object: unknown }[],
    undo: UndoLog,
  ): Promise<void> {
    // Refuse a type no child accepts before any child writes.
    for (const item of items) this.#accepting(item.ref.datasetType);
    for (const child of this.children) {
      const mine = items.filter((i) => child.accepts(i.ref.datasetType));
      if (mine.length > 0) await child.put(mine, undo);
    }
  }

  async #firstKnowing(ref: DatasetRef): Promise<Datastore | undefined> {
    for (const child of this.children) if ((await child.knows([ref])).size > 0) return child;
    return undefined;
  }

  async get(ref: DatasetRef, options?: DatastoreGetOptions): Promise<unknown> {
    const child = await this.#firstKnowing(ref);
    if (child === undefined)
      throw new StorageNotFoundError(`Dataset ${ref} is in none of the datastores of ${this.name}`, ref.id);
    return child.get(ref, options);
  }

  async knows(refs: readonly DatasetRef[]): Promise<Set<string>> {
    const all = new Set<string>();
    for (const child of this.children) for (const id of await child.knows(refs)) all.add(id);
    return all;
  }

  async stored(refs: readonly DatasetRef[]): Promise<Set<string>> {
    const all = new Set<string>();
    for (const child of this.children) for (const id of await child.stored(refs)) all.add(id);
    return all;
  }

  /**
   * As daf_butler: the URIs of the first permanent child holding the dataset, else of the first ephemeral
   * one; predicted ones likewise prefer a permanent child.
   */
  async getUris(ref: DatasetRef, options?: { predict?: boolean }): Promise<DatasetUris> {
    const holding: Datastore[] = [];
    for (const child of this.children) if ((await child.knows([ref])).size > 0) holding.push(child);
    const permanentFirst = (list: Datastore[]) => list.find((c) => !c.isEphemeral) ?? list[0];
    const child = permanentFirst(holding) ?? permanentFirst(this.#accepting(ref.datasetType));
    return (child as Datastore).getUris(ref, options);
  }

  async ingest(datasets: readonly FileDataset[], transfer: TransferMode, undo: UndoLog): Promise<void> {
    const child = this.children.find(
      (c) => !c.isEphemeral && datasets.every((d) => d.refs.every((r) => c.accepts(r.datasetType))),
    );
    if (child === undefined) {
      throw new DatasetTypeNotSupportedError(
        `No file datastore of ${this.name} accepts these datasets for ingest`,
      );
    }
    await child.ingest(datasets, transfer, undo);
  }

  async trash(refs: readonly DatasetRef[]): Promise<void> {
    for (const child of this.children) await child.trash(refs);
  }

  async emptyTrash(): Promise<number> {
    let count = 0;
    for (const child of this.children) count += await child.emptyTrash();
    return count;
  }

  async artifacts(refs: readonly DatasetRef[]): Promise<StoredArtifact[]> {
    for (const child of this.children) {
      const artifacts = await child.artifacts(refs);
      if (artifacts.length > 0) return artifacts;
    }
    return [];
  }

  async readArtifact(uri: ResourceUri): Promise<Uint8Array> {
    for (const child of this.children) {
      try {
        return await child.readArtifact(uri);
      } catch (error) {
        if (!(error instanceof StorageNotFoundError)) throw error;
      }
    }
    throw new StorageNotFoundError(`No datastore of ${this.name} has ${uri}`, uri.toString());
  }

  async receive(
    artifacts: readonly StoredArtifact[],
    refs: ReadonlyMap<string, DatasetRef>,
    read: (artifact: StoredArtifact) => Promise<Uint8Array>,
    transfer: TransferMode,
    undo: UndoLog,
  ): Promise<void> {
    const child = this.children.find((c) => !c.isEphemeral);
    if (child === undefined)
      throw new DatasetTypeNotSupportedError(`${this.name} has no file datastore to receive artifacts`);
    await child.receive(artifacts, refs, read, transfer, undo);
  }

  async check(): Promise<ConsistencyReport> {
    const reports = await Promise.all(this.children.map((c) => c.check()));
    return {
      missing: reports.flatMap((r) => r.missing),
      sizeMismatch: reports.flatMap((r) => r.sizeMismatch),
      orphans: reports.flatMap((r) => r.orphans),
      temporaries: reports.flatMap((r) => r.temporaries),
    };
  }
}
