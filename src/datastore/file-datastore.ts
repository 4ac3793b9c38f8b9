import { createHash } from "node:crypto";
import type { DatasetRef } from "../datasets/dataset-ref.ts";
import { type DatasetType, splitDatasetTypeName } from "../datasets/dataset-type.ts";
import type { DatastoreRecordStore, StoredFileRecord } from "../datasets/datastore-records.ts";
import type { DataCoordinate } from "../dimensions/data-coordinate.ts";
import {
  ConflictingDefinitionError,
  DatasetTypeNotSupportedError,
  FileTemplateError,
  StorageNotFoundError,
} from "../errors.ts";
import type { DatastoreConstraints } from "./constraints.ts";
import type {
  ConsistencyReport,
  DatasetUris,
  Datastore,
  DatastoreGetOptions,
  FileDataset,
  StoredArtifact,
  TransferMode,
} from "./datastore.ts";
import { checkConsistency } from "./file-consistency.ts";
import type { Formatter } from "./formatters/formatter.ts";
import type { FormatterTable } from "./formatters/formatter-table.ts";
import { inParallel } from "./in-parallel.ts";
import type { ObjectCodec } from "./object-codec.ts";
import { ResourceUri } from "./storage/resource-uri.ts";
import type { StorageBackend } from "./storage/storage-backend.ts";
import type { StorageBackends } from "./storage/storage-backends.ts";
import type { FileTemplates } from "./templates/file-templates.ts";
import type { UndoLog } from "./undo-log.ts";

/** What a file datastore is made of. */
export interface FileDatastoreInit {
  /** Its name in `dataset_location` (`FileDatastore@<butlerRoot>`). */
  readonly name: string;
  /** The directory URI artifacts live under. */
  readonly root: ResourceUri;
  readonly storage: StorageBackends;
  readonly templates: FileTemplates;
  readonly formatters: FormatterTable;
  readonly objects: ObjectCodec;
  readonly records: DatastoreRecordStore;
  readonly constraints: DatastoreConstraints;
  /** Record a blake2b checksum of each artifact (daf_butler's `checksum`, off by default). */
  readonly checksum: boolean;
}

function isLinkMode(mode: TransferMode): mode is "link" | "hardlink" | "symlink" | "relsymlink" {
  return mode === "link" || mode === "hardlink" || mode === "symlink" || mode === "relsymlink";
}

/** Artifact writes in flight at once: enough to keep the I/O thread pool busy. */
const PARALLEL_WRITES = 8;
const TRASH_BATCH = 1000;

/**
 * Datasets as files at templated paths under a root, on any storage backend: written atomically, recorded
 * in daf_butler's `file_datastore_records` so daf_butler reads them too.
 */
export class FileDatastore implements Datastore {
  readonly name: string;
  readonly isEphemeral = false;
  readonly root: ResourceUri;
  readonly #init: FileDatastoreInit;
  readonly #backend: StorageBackend;
  readonly #validTemplates = new Set<string>();

  constructor(init: FileDatastoreInit) {
    this.#init = init;
    this.name = init.name;
    this.root = init.root;
    this.#backend = init.storage.backendFor(init.root);
  }

  accepts(datasetType: DatasetType): boolean {
    return this.#init.constraints.accepts(datasetType);
  }

  /** The URI of a recorded path (relative to the root, or absolute). */
  uriOf(path: string): ResourceUri {
    return ResourceUri.hasScheme(path) ? ResourceUri.parse(path) : this.root.join(path);
  }

  #formatterFor(type: DatasetType, dataId: DataCoordinate): Formatter {
    const formatter = this.#init.formatters.lookup(type, dataId);
    if (formatter === null) {
      throw new DatasetTypeNotSupportedError(
        `No formatter can write storage class "${type.storageClass}" of dataset type "${type.name}"`,
        { hint: "Configure one under datastore.formatters in butler.yaml, or use another storage class." },
      );
    }
    return formatter;
  }

  /**
   * Refuse, before anything is written, a dataset type whose template cannot give each dataset its own
   * path (checked once per type).
   */
  #checkTemplate(type: DatasetType): void {
    if (this.#validTemplates.has(type.name)) return;
    this.#init.templates.validate([type]);
    this.#validTemplates.add(type.name);
  }

  #pathFor(ref: DatasetRef, extension: string): string {
    this.#checkTemplate(ref.datasetType);
    const template = this.#init.templates.lookup(ref.datasetType, ref.dataId);
    const [parent, component] = splitDatasetTypeName(ref.datasetType.name);
    const path = template.format({
      datasetType: parent,
      component,
      run: ref.run,
      id: ref.id,
      dataId: ref.dataId,
    });
    return `${path}${extension}`;
  }

  #checksum(bytes: Uint8Array): string | null {
    return this.#init.checksum ? createHash("blake2b512").update(bytes).digest("hex") : null;
  }

  async put(
    items: readonly { readonly ref: DatasetRef; readonly object: unknown }[],
    undo: UndoLog,
  ): Promise<void> {
    const planned = items.map(({ ref, object }) => {
      if (!this.accepts(ref.datasetType)) {
        throw new DatasetTypeNotSupportedError(
          `Datastore ${this.name} does not accept dataset type "${ref.datasetType.name}"`,
        );
      }
      this.#checkTemplate(ref.datasetType);
      const formatter = this.#formatterFor(ref.datasetType, ref.dataId);
      const prepared = this.#init.objects.prepareForWrite(ref.datasetType, object);
      return { ref, formatter, object: prepared, path: this.#pathFor(ref, formatter.extension) };
    });
    await this.#refuseCollisions(planned);
    const records = await inParallel(planned, PARALLEL_WRITES, async ({ ref, formatter, object, path }) => {
      const bytes = await formatter.write(object, { storageClass: ref.datasetType.storageClass });
      const uri = this.root.join(path);
      undo.add(() => this.#backend.delete(uri));
      await this.#backend.write(uri, bytes);
      return {
        datasetId: ref.id,
        path,
        formatter: this.#init.formatters.recordNameOf(formatter),
        storageClass: ref.datasetType.storageClass,
        component: null,
        checksum: this.#checksum(bytes),
        fileSize: bytes.length,
      } satisfies StoredFileRecord;
    });
    await this.#init.records.insert(this.name, records);
  }

  /** Two datasets must never share a templated path: in the same batch, or with one already recorded. */
  async #refuseCollisions(planned: readonly { ref: DatasetRef; path: string }[]): Promise<void> {
    const byPath = new Map<string, DatasetRef>();
    for (const { ref, path } of planned) {
      const other = byPath.get(path);
      if (other !== undefined) {
        throw new FileTemplateError(
          `File template collision: ${other} and ${ref} would both be written to "${path}"`,
          {
            hint: "Make the template for this dataset type include every dimension of its data IDs.",
          },
        );
      }
      byPath.set(path, ref);
    }
    let users = await this.#init.records.pathUsers([...byPath.keys()], []);
    if (users.size > 0) {
      // The path may belong to a removed dataset whose removal was interrupted before its records were
      // purged: finish that removal, then look again.
      await this.emptyTrash();
      users = await this.#init.records.pathUsers([...byPath.keys()], []);
    }
    for (const [path, count] of users) {
      if (count > 0) {
        throw new FileTemplateError(`File template collision: "${path}" already holds another dataset`, {
          hint: "Make the template for this dataset type include every dimension of its data IDs (and the run).",
        });
      }
    }
  }

  async #recordsOf(ref: DatasetRef): Promise<StoredFileRecord[]> {
    const records = (await this.#init.records.fetch([ref.id])).get(ref.id);
    if (records === undefined || records.length === 0) {
      throw new StorageNotFoundError(`Dataset ${ref} has no artifact in datastore ${this.name}`, ref.id, {
        hint: "It is known to the registry only (imported without files, or its files were removed).",
      });
    }
    return records;
  }

  async get(ref: DatasetRef, options: DatastoreGetOptions = {}): Promise<unknown> {
    const records = await this.#recordsOf(ref);
    const component = options.component ?? null;
    const own = component === null ? undefined : records.find((r) => r.component === component);
    const record = own ?? records.find((r) => r.component === null) ?? (records[0] as StoredFileRecord);
    const formatter = this.#init.formatters.forRecord(record.formatter);
    const uri = this.uriOf(record.path);
    const backend = this.#init.storage.backendFor(uri);
    const object = await formatter.read(
      {
        size: async () => (await backend.stat(uri))?.size ?? (await backend.read(uri)).length,
        read: (start, end) => backend.readRange(uri, start, end),
        readMany: (ranges) => backend.readRanges(uri, ranges),
        readAll: () => backend.read(uri),
        ...(uri.scheme === "file" ? { localPath: uri.path } : {}),
      },
      {
        storageClass: record.storageClass,
        ...(options.parameters === undefined ? {} : { parameters: options.parameters }),
        ...(own === undefined && component !== null ? { component } : {}),
      },
      uri.toString(),
    );
    return this.#init.objects.finishRead(ref.datasetType, object, {
      component: own === undefined ? component : null,
      componentOf: own === undefined ? null : component,
      parameters: options.parameters,
      storageClass: options.storageClass,
      formatter,
    });
  }

  async knows(refs: readonly DatasetRef[]): Promise<Set<string>> {
    return this.#init.records.located(
      this.name,
      refs.map((r) => r.id),
    );
  }

  async stored(refs: readonly DatasetRef[]): Promise<Set<string>> {
    const known = await this.knows(refs);
    const records = await this.#init.records.fetch([...known]);
    const present = new Set<string>();
    await inParallel([...records], PARALLEL_WRITES, async ([id, list]) => {
      const found = await Promise.all(
        list.map((r) => this.#init.storage.backendFor(this.uriOf(r.path)).exists(this.uriOf(r.path))),
      );
      if (found.every(Boolean)) present.add(id);
    });
    return present;
  }

  async getUris(ref: DatasetRef, options: { predict?: boolean } = {}): Promise<DatasetUris> {
    const records = (await this.#init.records.fetch([ref.id])).get(ref.id) ?? [];
    if (records.length === 0) {
      if (options.predict !== true) await this.#recordsOf(ref);
      const formatter = this.#formatterFor(ref.datasetType, ref.dataId);
      return {
        primary: this.root.join(this.#pathFor(ref, formatter.extension)).withFragment("predicted"),
        components: new Map(),
      };
    }
    const whole = records.find((r) => r.component === null);
    return {
      primary: whole === undefined ? null : this.uriOf(whole.path),
      components: new Map(
        records.filter((r) => r.component !== null).map((r) => [r.component as string, this.uriOf(r.path)]),
      ),
    };
  }

  async ingest(datasets: readonly FileDataset[], transfer: TransferMode, undo: UndoLog): Promise<void> {
    const records: StoredFileRecord[] = [];
    for (const dataset of datasets) {
      const source =
        typeof dataset.path === "string"
          ? ResourceUri.parse(dataset.path, ResourceUri.file(`${process.cwd()}/`, true))
          : dataset.path;
      const first = dataset.refs[0];
      if (first === undefined) continue;
      const sourceBackend = this.#init.storage.backendFor(source);
      const stat = await sourceBackend.stat(source);
      if (stat === null) {
        throw new StorageNotFoundError(`Cannot ingest ${source}: no such file`, source.toString(), {
          hint: "Check the path (relative paths are relative to the current directory or --prefix).",
        });
      }
      for (const ref of dataset.refs) {
        if (!this.accepts(ref.datasetType)) {
          throw new DatasetTypeNotSupportedError(
            `Datastore ${this.name} does not accept dataset type "${ref.datasetType.name}"`,
          );
        }
      }
      const formatter =
        dataset.formatter === undefined
          ? (this.#init.formatters.forExtension(source.extension) ??
            this.#formatterFor(first.datasetType, first.dataId))
          : this.#init.formatters.forRecord(dataset.formatter);
      const path = await this.#bringIn(source, first, transfer, undo);
      const checksum = this.#init.checksum
        ? this.#checksum(await sourceBackend.read(this.uriOf(path)))
        : null;
      for (const ref of dataset.refs) {
        records.push({
          datasetId: ref.id,
          path,
          formatter: this.#init.formatters.recordNameOf(formatter),
          storageClass: ref.datasetType.storageClass,
          component: null,
          checksum,
          fileSize: stat.size,
        });
      }
    }
    await this.#init.records.insert(this.name, records);
  }

  /** Move, copy or link a file in (or leave it where it is) and return the path to record. */
  async #bringIn(
    source: ResourceUri,
    ref: DatasetRef,
    transfer: TransferMode,
    undo: UndoLog,
  ): Promise<string> {
    const inside = source.relativeTo(this.root);
    if (transfer === "direct") return source.withoutFragment().toString();
    if (transfer === "auto" && inside !== null) return inside;
    const path = this.#pathFor(ref, source.extension);
    const target = this.root.join(path);
    if (await this.#backend.exists(target)) {
      throw new ConflictingDefinitionError(`Cannot ingest ${source}: ${target} already exists`, {
        hint: "Another dataset already uses this path; check the file template and the data IDs.",
      });
    }
    const mode = transfer === "auto" ? "copy" : transfer;
    await this.#backend.transferIn(source, target, mode);
    if (mode === "move")
      undo.add(() => this.#init.storage.backendFor(source).transferIn(target, source, "move"));
    else undo.add(() => this.#backend.delete(target));
    return path;
  }

  async trash(refs: readonly DatasetRef[]): Promise<void> {
    await this.#init.records.trash(
      this.name,
      refs.map((r) => r.id),
    );
  }

  async emptyTrash(): Promise<number> {
    let deleted = 0;
    for (;;) {
      const trashed = await this.#init.records.trashed(this.name, TRASH_BATCH);
      if (trashed.length === 0) return deleted;
      const ids = [...new Set(trashed.map((r) => r.datasetId))];
      const users = await this.#init.records.pathUsers(
        trashed.map((r) => r.path),
        ids,
      );
      const doomed = [...new Set(trashed.map((r) => r.path))].filter(
        (path) => (users.get(path) ?? 0) === 0 && !ResourceUri.hasScheme(path),
      );
      // Files go before their records: a crash in between leaves records that the next call finishes.
      await inParallel(doomed, PARALLEL_WRITES, async (path) => {
        if (await this.#backend.delete(this.root.join(path))) deleted++;
      });
      await this.#init.records.purge(this.name, ids);
    }
  }

  async artifacts(refs: readonly DatasetRef[]): Promise<StoredArtifact[]> {
    const known = await this.knows(refs);
    const records = await this.#init.records.fetch([...known]);
    const byPath = new Map<string, StoredFileRecord[]>();
    for (const list of records.values()) {
      for (const record of list) {
        const same = byPath.get(record.path);
        if (same === undefined) byPath.set(record.path, [record]);
        else same.push(record);
      }
    }
    return [...byPath].map(([path, list]) => {
      const uri = this.uriOf(path);
      return { uri, relativePath: uri.relativeTo(this.root), records: list };
    });
  }

  readArtifact(uri: ResourceUri): Promise<Uint8Array> {
    return this.#init.storage.backendFor(uri).read(uri);
  }

  async receive(
    artifacts: readonly StoredArtifact[],
    refs: ReadonlyMap<string, DatasetRef>,
    read: (artifact: StoredArtifact) => Promise<Uint8Array>,
    transfer: TransferMode,
    undo: UndoLog,
  ): Promise<void> {
    const records: StoredFileRecord[] = [];
    for (const artifact of artifacts) {
      let path: string;
      if (artifact.relativePath === null && (transfer === "auto" || transfer === "direct")) {
        path = artifact.uri.toString();
      } else {
        const ref = refs.get(artifact.records[0]?.datasetId ?? "") as DatasetRef;
        path = artifact.relativePath ?? this.#pathFor(ref, artifact.uri.extension);
        const target = this.root.join(path);
        if (artifact.uri.localPath !== null && this.#backend.capabilities.links && isLinkMode(transfer)) {
          await this.#backend.transferIn(artifact.uri, target, transfer);
        } else {
          await this.#backend.write(target, await read(artifact));
        }
        undo.add(() => this.#backend.delete(target));
      }
      for (const record of artifact.records) records.push({ ...record, path });
    }
    await this.#init.records.insert(this.name, records);
  }

  async check(): Promise<ConsistencyReport> {
    const report = await checkConsistency(this.#backend, this.root, this.#init.records, (path) =>
      this.uriOf(path),
    );
    // A crash inside emptyTrash leaves trashed records whose files are already deleted: their datasets
    // are removed, and the next emptyTrash forgets the records. Nothing stored is missing.
    const trashed = await this.#init.records.trashed(this.name, Number.MAX_SAFE_INTEGER);
    if (trashed.length === 0) return report;
    const removed = new Set(trashed.map((r) => r.datasetId));
    return { ...report, missing: report.missing.filter((r) => !removed.has(r.datasetId)) };
  }
}
