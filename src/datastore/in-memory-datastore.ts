import type { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import {
  ButlerStateError,
  ConflictingDefinitionError,
  DatasetTypeNotSupportedError,
  StorageNotFoundError,
} from "../errors.ts";
import type { DatastoreConstraints } from "./constraints.ts";
import type {
  ConsistencyReport,
  DatasetUris,
  Datastore,
  DatastoreGetOptions,
  StoredArtifact,
} from "./datastore.ts";
import type { ObjectCodec } from "./object-codec.ts";
import { ResourceUri } from "./storage/resource-uri.ts";
import type { UndoLog } from "./undo-log.ts";

/**
 * Datasets kept as objects in this process (daf_butler's InMemoryDatastore): no files, no formatters,
 * gone when the process ends. Parameters and components still go through the storage classes.
 */
export class InMemoryDatastore implements Datastore {
  readonly name: string;
  readonly isEphemeral = true;
  readonly #objects: ObjectCodec;
  readonly #constraints: DatastoreConstraints;
  readonly #stored = new Map<string, unknown>();
  readonly #trashed = new Set<string>();

  constructor(name: string, objects: ObjectCodec, constraints: DatastoreConstraints) {
    this.name = name;
    this.#objects = objects;
    this.#constraints = constraints;
  }

  accepts(datasetType: DatasetType): boolean {
    return this.#constraints.accepts(datasetType);
  }

  async put(
    items: readonly { readonly ref: DatasetRef; readonly object: unknown }[],
    undo: UndoLog,
  ): Promise<void> {
    const prepared = items.map(({ ref, object }) => {
      if (!this.accepts(ref.datasetType)) {
        throw new DatasetTypeNotSupportedError(
          `Datastore ${this.name} does not accept dataset type "${ref.datasetType.name}"`,
        );
      }
      if (this.#stored.has(ref.id)) throw new ConflictingDefinitionError(`Dataset ${ref} is already stored`);
      return { id: ref.id, object: this.#objects.prepareForWrite(ref.datasetType, object) };
    });
    for (const { id, object } of prepared) {
      this.#stored.set(id, object);
      undo.add(async () => this.#stored.delete(id));
    }
  }

  async get(ref: DatasetRef, options: DatastoreGetOptions = {}): Promise<unknown> {
    if (!this.#stored.has(ref.id) || this.#trashed.has(ref.id)) {
      throw new StorageNotFoundError(
        `Dataset ${ref} is not in datastore ${this.name}`,
        this.#uriOf(ref).toString(),
      );
    }
    return this.#objects.finishRead(ref.datasetType, this.#stored.get(ref.id), {
      component: options.component ?? null,
      componentOf: null,
      parameters: options.parameters,
      storageClass: options.storageClass,
      formatter: null,
    });
  }

  #uriOf(ref: DatasetRef): ResourceUri {
    return ResourceUri.parse(`mem://${encodeURIComponent(this.name)}/${ref.id}`);
  }

  async knows(refs: readonly DatasetRef[]): Promise<Set<string>> {
    return new Set(refs.filter((r) => this.#stored.has(r.id) && !this.#trashed.has(r.id)).map((r) => r.id));
  }

  stored(refs: readonly DatasetRef[]): Promise<Set<string>> {
    return this.knows(refs);
  }

  async getUris(ref: DatasetRef, options: { predict?: boolean } = {}): Promise<DatasetUris> {
    const known = (await this.knows([ref])).size > 0;
    if (!known && options.predict !== true) {
      throw new StorageNotFoundError(
        `Dataset ${ref} is not in datastore ${this.name}`,
        this.#uriOf(ref).toString(),
      );
    }
    const uri = this.#uriOf(ref);
    return { primary: known ? uri : uri.withFragment("predicted"), components: new Map() };
  }

  async ingest(): Promise<void> {
    throw new ButlerStateError(`Datastore ${this.name} keeps objects in memory and cannot ingest files`, {
      hint: "Ingest into a repository with a file datastore.",
    });
  }

  async trash(refs: readonly DatasetRef[]): Promise<void> {
    for (const ref of refs) if (this.#stored.has(ref.id)) this.#trashed.add(ref.id);
  }

  async emptyTrash(): Promise<number> {
    const count = this.#trashed.size;
    for (const id of this.#trashed) this.#stored.delete(id);
    this.#trashed.clear();
    return count;
  }

  async artifacts(): Promise<StoredArtifact[]> {
    return [];
  }

  async readArtifact(uri: ResourceUri): Promise<Uint8Array> {
    throw new StorageNotFoundError(`Datastore ${this.name} has no artifacts to read`, uri.toString());
  }

  async receive(): Promise<void> {
    throw new ButlerStateError(`Datastore ${this.name} keeps objects in memory and cannot receive files`);
  }

  async check(): Promise<ConsistencyReport> {
    return { missing: [], sizeMismatch: [], orphans: [], temporaries: [] };
  }
}
