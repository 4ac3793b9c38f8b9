import type { Command } from "commander";
import type { DatasetRef } from "../../datasets/dataset-ref.ts";
import type { DatasetUris } from "../../datastore/datastore.ts";
import type { ResourceUri } from "../../datastore/storage/resource-uri.ts";
import type { Registry } from "../../registry/registry.ts";
import { type RegisterCommand, withButler, withRegistry } from "../command-kit.ts";
import { type DatasetGroup, searchDatasets } from "../dataset-search.ts";
import { datasetTable } from "../dataset-table.ts";
import { formatTables, type OutputFormat, type ResultTable } from "../output-table.ts";
import {
  bindOption,
  collectionsOption,
  limitOption,
  orderByOption,
  parseBind,
  type QueryOptions,
  queryFormatOption,
  reportNoResults,
  warn,
  warnLimit,
  whereOption,
} from "../query-options.ts";

interface QueryDatasetsOptions extends QueryOptions {
  readonly collections?: string[];
  readonly findFirst?: boolean;
  readonly showUri?: boolean;
  readonly format: OutputFormat;
}

/**
 * The tables of the groups: one per dataset type; with URIs, a `URI` column, and the datasets stored as
 * separate component files in one table per component (`type` = `parent.component`), as daf_butler shows
 * them.
 */
async function datasetTables(
  groups: readonly DatasetGroup[],
  sorted: boolean,
  urisOf?: (ref: DatasetRef) => Promise<DatasetUris>,
): Promise<ResultTable[]> {
  if (urisOf === undefined) {
    return groups.map((g) =>
      datasetTable({ name: g.datasetType.name, dimensions: g.datasetType.dimensions, refs: g.refs }, sorted),
    );
  }
  const tables: ResultTable[] = [];
  for (const group of groups) {
    const byName = new Map<string, { refs: DatasetRef[]; uris: string[] }>();
    const add = (name: string, ref: DatasetRef, uri: ResourceUri) => {
      let rows = byName.get(name);
      if (rows === undefined) {
        rows = { refs: [], uris: [] };
        byName.set(name, rows);
      }
      rows.refs.push(ref);
      rows.uris.push(uri.toString());
    };
    for (const ref of group.refs) {
      const uris = await urisOf(ref);
      if (uris.primary !== null) add(group.datasetType.name, ref, uris.primary);
      for (const [component, uri] of uris.components) add(`${group.datasetType.name}.${component}`, ref, uri);
    }
    if (byName.size === 0) byName.set(group.datasetType.name, { refs: [], uris: [] });
    for (const [name, rows] of byName) {
      tables.push(datasetTable({ name, dimensions: group.datasetType.dimensions, ...rows }, sorted));
    }
  }
  return tables;
}

/** `butler query-datasets REPO [GLOB...]`. */
export const registerQueryDatasets: RegisterCommand = (program: Command, context) => {
  program
    .command("query-datasets")
    .summary("List the datasets in a repository.")
    .description(
      "List the datasets in a repository: one table per dataset type, sorted by run and data ID unless --order-by.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument(
      "[glob...]",
      "Dataset type names or glob patterns (default: all, with a warning; '*' says so explicitly).",
    )
    .addOption(
      collectionsOption(
        "Collections to search, in order (repeatable, comma-separated; globs allowed without --find-first; default: all, with a warning).",
      ),
    )
    .addOption(whereOption())
    .addOption(bindOption())
    .option(
      "--find-first",
      "For each data ID, only the dataset of the first collection (in --collections order) that has one.",
    )
    .addOption(orderByOption())
    .addOption(limitOption())
    .option(
      "--show-uri",
      "Add a URI column: where each dataset's file is (#predicted where it would be, for datasets without one).",
    )
    .addOption(queryFormatOption())
    .action(async (repo: string, globs: string[], options: QueryDatasetsOptions) => {
      const ctx = context();
      const list = async (registry: Registry, urisOf?: (ref: DatasetRef) => Promise<DatasetUris>) => {
        const result = await searchDatasets(registry, {
          datasetTypes: globs,
          collections: options.collections ?? [],
          where: options.where,
          bind: parseBind(options.bind),
          findFirst: options.findFirst === true,
          orderBy: options.orderBy ?? [],
          limit: options.limit,
        });
        for (const message of result.warnings) warn(ctx, message);
        const sorted = (options.orderBy ?? []).length === 0;
        const tables = await datasetTables(result.groups, sorted, urisOf);
        ctx.stdout.write(formatTables(tables, options.format));
        if (result.truncated) warnLimit(ctx, "datasets", -options.limit);
        if (result.groups.every((group) => group.refs.length === 0)) reportNoResults(ctx, result.reasons);
      };
      if (options.showUri) {
        await withButler(repo, {}, (butler) =>
          list(butler.registry, (ref) => butler.getURIs(ref, undefined, { predict: true })),
        );
      } else {
        await withRegistry(repo, false, (registry) => list(registry));
      }
    });
};
