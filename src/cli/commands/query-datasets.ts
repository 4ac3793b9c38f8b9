import type { Command } from "commander";
import { CommandLineError } from "../../errors.ts";
import { type RegisterCommand, withRegistry } from "../command-kit.ts";
import { type DatasetGroup, searchDatasets } from "../dataset-search.ts";
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
import { defaultSortKeys, sortRows } from "../sort-rows.ts";

interface QueryDatasetsOptions extends QueryOptions {
  readonly collections?: string[];
  readonly findFirst?: boolean;
  readonly showUri?: boolean;
  readonly format: OutputFormat;
}

/** One dataset type's table: `type`, `run`, `id`, then the data ID (required then implied dimensions). */
function datasetTable(group: DatasetGroup, sorted: boolean): ResultTable {
  const dimensions = group.datasetType.dimensions.dataCoordinateKeys;
  const columns = ["type", "run", "id", ...dimensions];
  const rows = group.refs.map((ref) => [
    group.datasetType.name,
    ref.run,
    ref.id,
    ...dimensions.map((d) => ref.dataId.get(d) ?? null),
  ]);
  const universe = group.datasetType.dimensions.universe;
  return {
    columns,
    rows: sorted ? sortRows(columns, rows, defaultSortKeys(universe, dimensions, ["type", "run"])) : rows,
  };
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
    .option("--show-uri", "Show the dataset's file URI (needs the datastore; not available yet).")
    .addOption(queryFormatOption())
    .action(async (repo: string, globs: string[], options: QueryDatasetsOptions) => {
      if (options.showUri) {
        throw new CommandLineError(
          "--show-uri needs the repository's datastore, which this version of butler-ts does not read yet",
          { hint: "Run without --show-uri to list the datasets." },
        );
      }
      const ctx = context();
      await withRegistry(repo, false, async (registry) => {
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
        ctx.stdout.write(
          formatTables(
            result.groups.map((group) => datasetTable(group, sorted)),
            options.format,
          ),
        );
        if (result.truncated) warnLimit(ctx, "datasets", -options.limit);
        if (result.groups.every((group) => group.refs.length === 0)) reportNoResults(ctx, result.reasons);
      });
    });
};
