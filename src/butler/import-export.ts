import { copyFile, link, mkdir, rm, stat, symlink, writeFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";
import { uuid5 } from "../datasets/dataset-id.ts";
import { DatasetRef } from "../datasets/dataset-ref.ts";
import type { StoredFileRecord } from "../datasets/datastore-records.ts";
import type { FileDataset, StoredArtifact, TransferMode } from "../datastore/datastore.ts";
import { ResourceUri } from "../datastore/storage/resource-uri.ts";
import { standardizeDataId } from "../dimensions/standardize-data-id.ts";
import { ArgumentError, ConflictingDefinitionError } from "../errors.ts";
import { type ExportOptions, exportRegistry } from "../repository/export-repository.ts";
import {
  type ImportOptions,
  type ImportSummary,
  importDocument,
  readExportFile,
} from "../repository/import-repository.ts";
import type { ExportDocument, ExportedDatasets, ExportedFile } from "../transfers/export-document.ts";
import { artifactIndex, ARTIFACT_INDEX_NAME as ZIP_INDEX_NAME } from "./artifact-index.ts";
import type { Butler } from "./butler.ts";
import { type ArtifactSource, isArtifactSource } from "./transfer-datasets.ts";
import { createZipArchive } from "./zip-archive.ts";

/** What {@link importWithFiles} did: the registry import, and how many files were ingested. */
export interface ImportWithFilesSummary extends ImportSummary {
  readonly files: number;
}

/**
 * Import an export file with its dataset files, in one transaction: the registry part as
 * {@link importDocument} does it, then each file (a path relative to `directory`, or absolute) ingested
 * through the butler with the formatter the file records. Datasets whose `path` is empty (registry-only
 * exports) are imported without files. On any failure nothing is changed.
 * @throws {ConfigError} / {ExportFormatError} for an unreadable or malformed file.
 * @throws {StorageNotFoundError} for a file the export names that is not there.
 * @throws {ConflictingDefinitionError} and other registry errors, nothing changed.
 */
export async function importWithFiles(
  butler: Butler,
  exportFile: string,
  directory: string,
  options: Omit<ImportOptions, "withoutDatastore"> & { readonly transfer?: TransferMode } = {},
): Promise<ImportWithFilesSummary> {
  const document = await readExportFile(exportFile);
  const { transfer = "auto", ...importOptions } = options;
  return butler.transaction(async () => {
    const summary = await importDocument(butler.registry, document, {
      ...importOptions,
      withoutDatastore: true,
    });
    const datasets = await fileDatasets(butler, document, directory);
    if (datasets.length > 0) await butler.ingest(datasets, { transfer });
    return { ...summary, files: datasets.length };
  });
}

/** The files of an export document's dataset items, with their refs, ready to ingest. */
async function fileDatasets(
  butler: Butler,
  document: ExportDocument,
  directory: string,
): Promise<FileDataset[]> {
  const datasets: FileDataset[] = [];
  for (const item of document.items) {
    if (item.type !== "dataset") continue;
    const type = await butler.registry.datasetTypes.get(item.datasetType);
    for (const file of item.files) {
      if (file.path === "") continue;
      const refs = file.datasetIds.map(
        (id, i) =>
          new DatasetRef(
            id,
            type,
            standardizeDataId(butler.universe, file.dataIds[i] ?? {}, { dimensions: type.dimensions }),
            item.run,
          ),
      );
      datasets.push({
        path:
          ResourceUri.hasScheme(file.path) || isAbsolute(file.path)
            ? file.path
            : resolve(directory, file.path),
        refs,
        ...(file.formatter === null ? {} : { formatter: file.formatter }),
      });
    }
  }
  return datasets;
}

/** How {@link exportWithFiles} puts artifacts in the export directory (`direct`: it records their URIs). */
export type ExportTransfer = Exclude<TransferMode, "move">;

/** What {@link exportWithFiles} wrote. */
export interface ExportWithFilesResult {
  /** The export document, its datasets' `path` and `formatter` filled in. */
  readonly document: ExportDocument;
  /** How many artifacts were placed in the directory (none with `direct`). */
  readonly files: number;
}

/**
 * Export a repository (or a selection) with its artifacts, as daf_butler's YAML export does: each
 * artifact placed in `directory` at its path inside the repository (artifacts outside it at their
 * absolute path below `directory`), and the document's datasets given that `path` and their recorded
 * `formatter`, one file entry per artifact. With `direct` nothing is copied and the artifacts' absolute
 * URIs are recorded. Datasets without artifacts keep an empty path (registry only).
 * @throws {ArgumentError} for `move`, a link mode on artifacts that are not local files, or datasets
 * stored as several component files.
 */
export async function exportWithFiles(
  butler: Butler,
  directory: string,
  options: Omit<ExportOptions, "pathOf"> & { readonly transfer: ExportTransfer },
): Promise<ExportWithFilesResult> {
  if ((options.transfer as TransferMode) === "move") {
    throw new ArgumentError("Artifacts cannot be moved out of a repository by an export", {
      hint: 'Use "copy" (or a link mode).',
    });
  }
  const source = artifactSource(butler);
  const refs: DatasetRef[] = [];
  const document = await exportRegistry(butler.registry, {
    ...options,
    pathOf: (ref) => {
      refs.push(ref);
      return "";
    },
  });
  const root = resolve(directory);
  const placed = new Map<string, { path: string; record: StoredFileRecord }>();
  let files = 0;
  for (const artifact of await source.artifacts(refs)) {
    const parts = artifact.records.filter((r) => r.component !== null);
    if (parts.length > 0) {
      throw new ArgumentError(
        `Dataset ${parts[0]?.datasetId} is stored as separate component files, which an export file cannot describe`,
      );
    }
    let path = artifact.uri.toString();
    if (options.transfer !== "direct") {
      path = artifact.relativePath ?? artifact.uri.path.replace(/^\/+/, "");
      await place(source, artifact, join(root, path), options.transfer);
      files++;
    }
    for (const record of artifact.records) placed.set(record.datasetId, { path, record });
  }
  const items = document.items.map((item) =>
    item.type === "dataset" ? withFiles(item, (id) => placed.get(id)) : item,
  );
  return { document: { ...document, items }, files };
}

/** A dataset item regrouped by artifact: the datasets sharing one file listed in one entry. */
function withFiles(
  item: ExportedDatasets,
  placedOf: (id: string) => { path: string; record: StoredFileRecord } | undefined,
): ExportedDatasets {
  type Entry = {
    datasetIds: string[];
    dataIds: ExportedFile["dataIds"][number][];
    path: string;
    formatter: string | null;
  };
  const files: Entry[] = [];
  const byPath = new Map<string, Entry>();
  for (const file of item.files) {
    file.datasetIds.forEach((id, i) => {
      const found = placedOf(id);
      let entry = found === undefined ? undefined : byPath.get(found.path);
      if (entry === undefined) {
        entry = {
          datasetIds: [],
          dataIds: [],
          path: found?.path ?? "",
          formatter: found?.record.formatter ?? null,
        };
        files.push(entry);
        if (found !== undefined) byPath.set(found.path, entry);
      }
      entry.datasetIds.push(id);
      entry.dataIds.push(file.dataIds[i] ?? {});
    });
  }
  return { ...item, files };
}

/** The butler as a source of artifacts. @throws {ArgumentError} when it cannot hand them out. */
function artifactSource(butler: Butler): Butler & ArtifactSource {
  if (!isArtifactSource(butler)) {
    throw new ArgumentError("This butler cannot hand out its artifacts (a remote butler?)");
  }
  return butler;
}

/** Put one artifact at `target`, replacing what is there: copied, linked, or written from its bytes. */
async function place(
  source: ArtifactSource,
  artifact: StoredArtifact,
  target: string,
  transfer: Exclude<ExportTransfer, "direct">,
): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await rm(target, { force: true });
  const local = artifact.uri.localPath;
  if (transfer === "copy" || transfer === "auto") {
    if (local !== null) await copyFile(local, target);
    else await writeFile(target, await source.readArtifact(artifact));
    return;
  }
  if (local === null) {
    throw new ArgumentError(`Cannot ${transfer} ${artifact.uri}: it is not a local file`, {
      hint: 'Use "copy".',
    });
  }
  if (transfer === "hardlink") await link(local, target);
  else if (transfer === "symlink") await symlink(local, target);
  else if (transfer === "relsymlink") await symlink(relative(dirname(target), local), target);
  else await link(local, target).catch(() => symlink(local, target));
}

/** daf_butler's namespace of zip file names (`DatasetIdFactory.NS_UUID`, its dataset ID namespace). */
const ZIP_NAMESPACE = Uint8Array.from(Buffer.from("840b31d905cd5161b2c800d32b280d0f", "hex"));

/** The name of the index inside an artifact zip. */

/** Options of {@link retrieveArtifactsZip}. */
export interface ZipOptions {
  /** Replace a zip file of the same name in the destination (default false: an error). */
  readonly overwrite?: boolean;
}

/**
 * Write the artifacts of refs into one zip file in the directory `destination`, as daf_butler's
 * `retrieve_artifacts_zip` does: each artifact stored flat as `<first 8 characters of the smallest
 * dataset ID it holds>-<file name>` (the whole ID where that name is taken), with the index `_butler_zip_index.json` (index version V1: the refs
 * in daf_butler's `SerializedDatasetRefContainerV1` form, and per member its datastore record and dataset
 * IDs); the file is named `uuid5(<daf_butler's dataset ID namespace>, <sorted member names joined by ",">)
 * .zip`, so the same artifacts give the same name. Refs without artifacts are left out.
 * @returns The path of the zip file.
 * @throws {ArgumentError} when none of the refs has an artifact.
 * @throws {ConflictingDefinitionError} when the zip exists and `overwrite` is not set.
 */
export async function retrieveArtifactsZip(
  butler: Butler,
  refs: readonly DatasetRef[],
  destination: string,
  options: ZipOptions = {},
): Promise<string> {
  const source = artifactSource(butler);
  const artifacts = await source.artifacts(refs);
  if (artifacts.length === 0) {
    throw new ArgumentError(`None of the ${refs.length} datasets has an artifact to put in a zip file`, {
      hint: "Their files were never ingested, or were removed.",
    });
  }
  const members = new Map<string, { artifact: StoredArtifact; ids: string[] }>();
  const byFirstId = artifacts
    .map((artifact) => ({ artifact, ids: [...new Set(artifact.records.map((r) => r.datasetId))].sort() }))
    .sort((a, b) => ((a.ids[0] as string) < (b.ids[0] as string) ? -1 : 1));
  for (const { artifact, ids } of byFirstId) {
    const first = ids[0] as string;
    // Time-ordered IDs written together share their first 8 characters: the whole ID keeps names apart.
    const short = `${first.slice(0, 8)}-${basename(artifact.uri.path)}`;
    const name = members.has(short) ? `${first}-${basename(artifact.uri.path)}` : short;
    members.set(name, { artifact, ids });
  }
  const held = new Set(artifacts.flatMap((a) => a.records.map((r) => r.datasetId)));
  const index = artifactIndex(
    butler.universe,
    refs.filter((r) => held.has(r.id)),
    members,
  );
  const path = join(
    resolve(destination),
    `${uuid5(ZIP_NAMESPACE, [...members.keys()].sort().join(","))}.zip`,
  );
  if (options.overwrite !== true && (await stat(path).catch(() => null)) !== null) {
    throw new ConflictingDefinitionError(`${path} already exists`, {
      hint: "Pass overwrite (--clobber) to replace it.",
    });
  }
  await mkdir(dirname(path), { recursive: true });
  const zip = await createZipArchive(path);
  try {
    await zip.add(ZIP_INDEX_NAME, Buffer.from(`${JSON.stringify(index)}\n`));
    for (const [name, { artifact }] of members) await zip.add(name, await source.readArtifact(artifact));
    await zip.close();
  } catch (error) {
    await zip.abort();
    throw error;
  }
  return path;
}
