import { copyFile, mkdir, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { DatasetRef } from "../datasets/dataset-ref.ts";
import type { StoredArtifact } from "../datastore/datastore.ts";
import type { DimensionRecord } from "../dimensions/dimension-record.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import {
  ArgumentError,
  ConflictingDefinitionError,
  MissingDatasetTypeError,
  StorageError,
} from "../errors.ts";
import { ARTIFACT_INDEX_NAME, artifactIndex } from "./artifact-index.ts";
import type { Butler, RetrieveOptions, TransferFromOptions } from "./butler.ts";
import type { WriteContext } from "./write-datasets.ts";
import { withUndo } from "./write-datasets.ts";

/** What a butler offers another one copying its datasets: artifacts and their bytes. */
export interface ArtifactSource {
  artifacts(refs: readonly DatasetRef[]): Promise<StoredArtifact[]>;
  readArtifact(artifact: StoredArtifact): Promise<Uint8Array>;
}

/** Whether a butler can hand out its artifacts (every butler of this package can). */
export function isArtifactSource(butler: Butler): butler is Butler & ArtifactSource {
  return typeof (butler as Partial<ArtifactSource>).artifacts === "function";
}

/**
 * Copy datasets from another butler: dataset types (optionally registered), dimension records, RUNs,
 * registry entries with the same IDs, then artifacts, in one transaction. Refs already here are skipped.
 * @throws {MissingDatasetTypeError} for a type not registered here (unless `registerDatasetTypes`).
 * @throws {ConflictingDefinitionError} for a dataset type defined differently here.
 */
export async function transferFrom(
  context: WriteContext,
  source: Butler & ArtifactSource,
  refs: readonly DatasetRef[],
  options: TransferFromOptions,
): Promise<DatasetRef[]> {
  const { registry, datastore } = context;
  const transfer = options.transfer ?? "auto";
  if (transfer === "direct") {
    throw new ArgumentError('Transfer mode "direct" cannot be used between repositories', {
      hint: 'Use "auto" (keeps direct artifacts where they are) or "copy".',
    });
  }
  for (const type of new Map(refs.map((r) => [r.datasetType.name, r.datasetType])).values()) {
    const existing = (await registry.datasetTypes.query()).filter((t) => t.name === type.name);
    if (existing.length === 0 && !options.registerDatasetTypes) {
      throw new MissingDatasetTypeError(`Dataset type "${type.name}" is not registered in the destination`, {
        hint: "Pass registerDatasetTypes (--register-dataset-types) to register it.",
      });
    }
    if (existing.length === 0) await registry.datasetTypes.register(type);
    else if (!existing[0]?.equals(type)) {
      throw new ConflictingDefinitionError(
        `Dataset type ${type} differs from the destination's ${existing[0]}`,
      );
    }
  }
  const artifacts = await source.artifacts(refs);
  const stored = new Set(artifacts.flatMap((a) => a.records.map((r) => r.datasetId)));
  const missing = refs.filter((r) => !stored.has(r.id));
  if (missing.length > 0 && options.skipMissing === false) {
    throw new StorageError(
      `Dataset ${missing[0]} has no artifact in the source repository`,
      String(missing[0]?.id),
    );
  }
  const already = await datastore.knows(refs);
  const wanted = refs.filter((r) => stored.has(r.id) && !already.has(r.id));
  if (wanted.length === 0) return [];
  const expanded = await Promise.all(
    wanted.map(async (r) => {
      const dataId = await source.registry.dimensions.expandDataId(r.dataId);
      return new DatasetRef(r.id, r.datasetType, dataId, r.run);
    }),
  );
  if (options.transferDimensions !== false) await copyRecords(context, expanded);
  for (const run of new Set(wanted.map((r) => r.run))) await registry.collections.register(run, "RUN");
  const byId = new Map(expanded.map((r) => [r.id, r]));
  const chosen = artifacts
    .map((a) => ({ ...a, records: a.records.filter((r) => byId.has(r.datasetId)) }))
    .filter((a) => a.records.length > 0);
  return withUndo(registry, async (undo) => {
    await registry.datasets.import(expanded);
    await datastore.receive(chosen, byId, (a) => source.readArtifact(a), transfer, undo);
    return expanded;
  });
}

/** Insert the dimension records the refs' data IDs need, in dependency order, keeping existing ones. */
async function copyRecords(context: WriteContext, refs: readonly DatasetRef[]): Promise<void> {
  const universe = context.registry.universe;
  const byElement = new Map<string, Map<string, DimensionRecord>>();
  for (const ref of refs) {
    for (const element of ref.dataId.dimensions.elements) {
      const record = ref.dataId.record(element);
      if (record === null) continue;
      let records = byElement.get(element);
      if (records === undefined) {
        records = new Map();
        byElement.set(element, records);
      }
      records.set(
        JSON.stringify(record.toObject(), (_, v) => (typeof v === "bigint" ? String(v) : v)),
        record,
      );
    }
  }
  const ordered = [...byElement].sort(
    ([a], [b]) => universe.getElementIndex(a) - universe.getElementIndex(b),
  );
  for (const [element, records] of ordered) {
    await context.registry.dimensions.insert(element, [...records.values()], { skipExisting: true });
  }
}

/**
 * Copy the artifacts of refs into a local directory (paths inside the repository kept unless
 * `preservePath: false`), with an index file naming the datasets of each file; returns the files written.
 * @throws {ConflictingDefinitionError} when a file exists there already and `overwrite` is not set.
 */
export async function retrieveArtifacts(
  source: ArtifactSource & { readonly universe: DimensionUniverse },
  refs: readonly DatasetRef[],
  destination: string,
  options: RetrieveOptions,
): Promise<string[]> {
  const root = resolve(destination);
  const artifacts = await source.artifacts(refs);
  const planned = artifacts.map((artifact) => {
    const inside = options.preservePath === false ? null : artifact.relativePath;
    return { artifact, target: join(root, inside ?? basename(artifact.uri.path)) };
  });
  const seen = new Set<string>();
  for (const { target } of planned) {
    if (seen.has(target)) {
      throw new ConflictingDefinitionError(`Two artifacts would both be written to ${target}`, {
        hint: "Keep the repository paths (preservePath) so artifact names stay unique.",
      });
    }
    seen.add(target);
    if (options.overwrite !== true && (await stat(target).catch(() => null)) !== null) {
      throw new ConflictingDefinitionError(`${target} already exists`, {
        hint: "Pass overwrite (--clobber) to replace it, or choose an empty destination.",
      });
    }
  }
  const copying =
    options.transfer === undefined || options.transfer === "copy" || options.transfer === "auto";
  if (!copying && planned.some(({ artifact }) => artifact.uri.localPath !== null)) {
    throw new ArgumentError(
      `Transfer mode "${options.transfer}" is not supported when retrieving artifacts`,
      {
        hint: 'Use "copy" or "auto".',
      },
    );
  }
  const written: string[] = [];
  for (const { artifact, target } of planned) {
    await mkdir(dirname(target), { recursive: true });
    const local = artifact.uri.localPath;
    if (local !== null) await copyFile(local, target);
    else await writeFile(target, await source.readArtifact(artifact));
    written.push(target);
  }
  const members = new Map(
    planned.map(({ artifact, target }) => [
      target.slice(root.length + 1),
      { artifact, ids: [...new Set(artifact.records.map((r) => r.datasetId))].sort() },
    ]),
  );
  const index = artifactIndex(source.universe, refs, members);
  await writeFile(join(root, ARTIFACT_INDEX_NAME), `${JSON.stringify(index)}\n`);
  return written;
}
