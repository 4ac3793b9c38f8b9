import { newDatasetId } from "../datasets/dataset-id.ts";
import { DatasetRef } from "../datasets/dataset-ref.ts";
import type { DatasetType } from "../datasets/dataset-type.ts";
import type {
  ConsistencyReport,
  DatasetUris,
  Datastore,
  FileDataset,
  StoredArtifact,
} from "../datastore/datastore.ts";
import type { ResourceUri } from "../datastore/storage/resource-uri.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import { ButlerStateError, DatasetNotFoundError, NoDefaultCollectionError } from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import {
  type Butler,
  type DataIdArgument,
  DatasetExistence,
  type DatasetTypeOrRef,
  type GetOptions,
  type IngestOptions,
  type PruneOptions,
  type PutItem,
  type PutOptions,
  type RetrieveOptions,
  type SearchOptions,
  type TransferFromOptions,
} from "./butler.ts";
import type { DeferredDatasetHandle } from "./deferred-handle.ts";
import { findDatasetOrThrow, lookup, resolveDatasetType, searchPath } from "./find-dataset.ts";
import { pruneDatasets, removeRuns } from "./remove-datasets.ts";
import { resolveDataId, withDefaults } from "./resolve-data-id.ts";
import { isArtifactSource, retrieveArtifacts, transferFrom } from "./transfer-datasets.ts";
import { ingestFiles, putObjects, putResolved, type WriteContext } from "./write-datasets.ts";

/** How a {@link DirectButler} was opened. */
export interface DirectButlerInit {
  readonly registry: Registry;
  readonly datastore: Datastore;
  readonly run: string | null;
  readonly collections: readonly string[];
  readonly dataId: Readonly<Record<string, unknown>>;
  readonly writeable: boolean;
}

/** The butler on a repository's own registry and datastore (not exported: use `openButler`). */
export class DirectButler implements Butler {
  readonly registry: Registry;
  readonly run: string | null;
  readonly collections: readonly string[];
  readonly #datastore: Datastore;
  readonly #dataId: Readonly<Record<string, unknown>>;
  readonly #writeable: boolean;
  #closed = false;

  constructor(init: DirectButlerInit) {
    this.registry = init.registry;
    this.#datastore = init.datastore;
    this.run = init.run;
    this.collections = Object.freeze([...init.collections]);
    this.#dataId = init.dataId;
    this.#writeable = init.writeable;
  }

  get universe(): DimensionUniverse {
    return this.registry.universe;
  }

  isWriteable(): boolean {
    return this.#writeable;
  }

  #context(): WriteContext {
    if (this.#closed) {
      throw new ButlerStateError("This butler has been closed", { hint: "Open the repository again." });
    }
    return {
      registry: this.registry,
      datastore: this.#datastore,
      collections: this.collections,
      run: this.run,
      dataId: this.#dataId,
    };
  }

  #writable(): WriteContext {
    const context = this.#context();
    if (!this.#writeable) {
      throw new ButlerStateError("This butler is read-only", {
        hint: "Open it with { writeable: true } or with a run.",
      });
    }
    return context;
  }

  async put(
    object: unknown,
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options: PutOptions = {},
  ): Promise<DatasetRef> {
    const context = this.#writable();
    if (datasetType instanceof DatasetRef) return putResolved(context, object, datasetType);
    const [ref] = await putObjects(context, [{ object, datasetType, dataId: dataId ?? {} }], options.run);
    return ref as DatasetRef;
  }

  async putMany(items: readonly PutItem[], options: PutOptions = {}): Promise<DatasetRef[]> {
    return putObjects(this.#writable(), items, options.run);
  }

  /** The dataset a read asks for, with the butler's default data ID values applied. */
  #find(datasetType: DatasetTypeOrRef, dataId: DataIdArgument | undefined, options: SearchOptions) {
    const defaults = this.#context();
    return findDatasetOrThrow(defaults, datasetType, withDefaults(dataId, defaults.dataId), options);
  }

  async get(
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options: GetOptions = {},
  ): Promise<unknown> {
    const { ref, component } = await this.#find(datasetType, dataId, options);
    return this.#datastore.get(ref, {
      component,
      ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
      ...(options.storageClass === undefined ? {} : { storageClass: options.storageClass }),
    });
  }

  async getDeferred(
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options: GetOptions = {},
  ): Promise<DeferredDatasetHandle> {
    const { ref, component } = await this.#find(datasetType, dataId, options);
    if (datasetType instanceof DatasetRef && (await this.#datastore.knows([ref])).size === 0) {
      throw new DatasetNotFoundError(`Dataset ${ref} is not stored in this repository`);
    }
    const datastore = this.#datastore;
    return Object.freeze({
      ref,
      dataId: ref.dataId,
      get: (more: Parameters<DeferredDatasetHandle["get"]>[0] = {}) =>
        datastore.get(ref, {
          component: more.component ?? component,
          parameters: { ...options.parameters, ...more.parameters },
          ...((more.storageClass ?? options.storageClass) === undefined
            ? {}
            : { storageClass: more.storageClass ?? options.storageClass }),
        }),
    });
  }

  async getURIs(
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options: SearchOptions & { readonly predict?: boolean; readonly run?: string } = {},
  ): Promise<DatasetUris> {
    const defaults = this.#context();
    const input = withDefaults(dataId, defaults.dataId);
    let ref: DatasetRef;
    try {
      ref = (await findDatasetOrThrow(defaults, datasetType, input, options)).ref;
    } catch (error) {
      const run = options.run ?? this.run;
      const missing = error instanceof DatasetNotFoundError || error instanceof NoDefaultCollectionError;
      if (!missing || options.predict !== true || datasetType instanceof DatasetRef || run === null)
        throw error;
      const { type } = await resolveDatasetType(this.registry, datasetType);
      const resolved = await resolveDataId(this.registry, type, input, { expand: true, wantTimespan: false });
      return this.#datastore.getUris(new DatasetRef(newDatasetId(), type, resolved.dataId, run), {
        predict: true,
      });
    }
    if (options.predict === true && (await this.#datastore.knows([ref])).size === 0) {
      // Paths are predicted from templates, which need the data ID's records.
      const expanded = await this.registry.dimensions.expandDataId(ref.dataId);
      ref = new DatasetRef(ref.id, ref.datasetType, expanded, ref.run);
    }
    return this.#datastore.getUris(ref, { predict: options.predict === true });
  }

  async getURI(
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options: SearchOptions & { readonly predict?: boolean; readonly run?: string } = {},
  ): Promise<ResourceUri> {
    const uris = await this.getURIs(datasetType, dataId, options);
    if (uris.primary === null) {
      throw new ButlerStateError(
        `The dataset is stored as ${uris.components.size} component artifacts, not one file`,
        { hint: "Use getURIs to get the URI of each component." },
      );
    }
    return uris.primary;
  }

  async exists(
    datasetType: DatasetTypeOrRef,
    dataId?: DataIdArgument,
    options: SearchOptions & { readonly fullCheck?: boolean } = {},
  ): Promise<number> {
    let flags = DatasetExistence.UNRECOGNIZED;
    let ref: DatasetRef | null;
    if (datasetType instanceof DatasetRef) {
      ref = datasetType;
      if ((await this.registry.datasets.get(ref.id)) !== null) flags |= DatasetExistence.RECORDED;
    } else {
      ref = await this.findDataset(datasetType, dataId, options).catch(() => null);
      if (ref === null) return flags;
      flags |= DatasetExistence.RECORDED;
    }
    // daf_butler's order: datastore record, then the artifact (or, without a full check, an assumption).
    if ((await this.#datastore.knows([ref])).size > 0) flags |= DatasetExistence.DATASTORE;
    if (options.fullCheck !== false) {
      if ((await this.#datastore.stored([ref])).size > 0) flags |= DatasetExistence.ARTIFACT;
    } else if (flags !== DatasetExistence.UNRECOGNIZED) {
      flags |= DatasetExistence.ASSUMED;
    }
    return flags;
  }

  async stored(refs: readonly DatasetRef[]): Promise<Map<string, boolean>> {
    const present = await this.#datastore.stored(refs);
    return new Map(refs.map((r) => [r.id, present.has(r.id)]));
  }

  async findDataset(
    datasetType: string | DatasetType,
    dataId?: DataIdArgument,
    options: SearchOptions = {},
  ): Promise<DatasetRef | null> {
    const defaults = this.#context();
    const { type } = await resolveDatasetType(this.registry, datasetType);
    return lookup(
      this.registry,
      type,
      withDefaults(dataId, defaults.dataId),
      searchPath(defaults, options),
      options,
    );
  }

  async ingest(datasets: readonly FileDataset[], options: IngestOptions = {}): Promise<DatasetRef[]> {
    return ingestFiles(this.#writable(), datasets, options.transfer ?? "auto", options.skipExisting === true);
  }

  async pruneDatasets(refs: readonly DatasetRef[], options: PruneOptions): Promise<void> {
    return pruneDatasets(this.#writable(), refs, options);
  }

  async removeRuns(
    names: readonly string[],
    options: { readonly unlinkFromChains?: boolean } = {},
  ): Promise<void> {
    return removeRuns(this.#writable(), names, options.unlinkFromChains === true);
  }

  async transferFrom(
    source: Butler,
    refs: readonly DatasetRef[],
    options: TransferFromOptions = {},
  ): Promise<DatasetRef[]> {
    if (!isArtifactSource(source)) {
      throw new ButlerStateError("The source butler cannot hand out its artifacts");
    }
    return transferFrom(this.#writable(), source, refs, options);
  }

  async retrieveArtifacts(
    refs: readonly DatasetRef[],
    destination: string,
    options: RetrieveOptions = {},
  ): Promise<string[]> {
    this.#context();
    return retrieveArtifacts(this, refs, destination, options);
  }

  /** The stored artifacts of refs (for transfers between repositories). */
  async artifacts(refs: readonly DatasetRef[]): Promise<StoredArtifact[]> {
    this.#context();
    return this.#datastore.artifacts(refs);
  }

  /** The bytes of one artifact. */
  readArtifact(artifact: StoredArtifact): Promise<Uint8Array> {
    return this.#datastore.readArtifact(artifact.uri);
  }

  async check(): Promise<ConsistencyReport> {
    this.#context();
    return this.#datastore.check();
  }

  transaction<T>(body: () => Promise<T>): Promise<T> {
    return this.registry.transaction(body);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.registry.close();
  }
}
