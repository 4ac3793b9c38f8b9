import type { Command } from "commander";
import type { DimensionGroup } from "../../dimensions/group.ts";
import { CommandLineError } from "../../errors.ts";
import type { Registry } from "../../registry/registry.ts";
import { type RegisterCommand, withRegistry } from "../command-kit.ts";
import type { CliContext } from "../context.ts";
import { resolveDatasetTypes } from "../dataset-search.ts";
import { formatTable, type OutputFormat } from "../output-table.ts";
import {
  bindOption,
  collectionsOption,
  datasetsOption,
  limitOption,
  limitPlan,
  offsetOption,
  orderByOption,
  parseBind,
  type QueryOptions,
  queryFormatOption,
  reportNoResults,
  trimToLimit,
  warnLimit,
  whereOption,
} from "../query-options.ts";
import { defaultSortKeys, sortRows } from "../sort-rows.ts";

interface QueryDataIdsOptions extends QueryOptions {
  readonly collections?: string[];
  readonly datasets?: string[];
  readonly format: OutputFormat;
}

/** Why there is nothing to query, or the dimensions and dataset types to query. */
type Plan =
  | { readonly reasons: string[]; readonly closing?: string }
  | { readonly group: DimensionGroup; readonly datasetTypes: readonly string[] };

/** The dimensions to query: those named, or those every `--datasets` type has. */
async function plan(registry: Registry, dimensions: string[], options: QueryDataIdsOptions): Promise<Plan> {
  const patterns = options.datasets ?? [];
  if (patterns.length === 0) {
    if (options.collections !== undefined) {
      throw new CommandLineError("--collections may only be used with --datasets", {
        hint: "Add --datasets TYPE to keep the data IDs that have datasets of TYPE in the collections.",
      });
    }
    if (dimensions.length === 0) {
      return {
        reasons: ["Result has one logical row but no columns because no dimensions were requested."],
        closing: "No results. Try requesting some dimensions or datasets, see --help for more information.",
      };
    }
    return { group: registry.universe.conform(dimensions), datasetTypes: [] };
  }
  const { types, unmatched } = await resolveDatasetTypes(registry, patterns);
  if (types.length === 0) return { reasons: unmatched };
  if (dimensions.length > 0) {
    return { group: registry.universe.conform(dimensions), datasetTypes: types.map((t) => t.name) };
  }
  const [first, ...others] = types.map((t) => t.dimensions);
  const group = (first as DimensionGroup).intersection(...others);
  if (group.size === 0) {
    const names = types.map((t) => `'${t.name}'`).join(", ");
    return { reasons: [`No dimensions in common for specified dataset types ([${names}])`] };
  }
  return { group, datasetTypes: types.map((t) => t.name) };
}

async function run(
  ctx: CliContext,
  registry: Registry,
  dimensions: string[],
  options: QueryDataIdsOptions,
): Promise<void> {
  const planned = await plan(registry, dimensions, options);
  if ("reasons" in planned) {
    ctx.stdout.write(formatTable({ columns: [], rows: [] }, options.format));
    reportNoResults(ctx, planned.reasons, planned.closing);
    return;
  }
  const { group } = planned;
  const columns = group.dataCoordinateKeys;
  const sortKeys = defaultSortKeys(registry.universe, columns);
  const ordered = (options.orderBy ?? []).length > 0;
  let query = registry.query();
  for (const name of planned.datasetTypes)
    query = query.joinDatasetSearch(name, options.collections ?? ["*"]);
  const limit = limitPlan(options.limit);
  const results = query
    .dataIds(group.names)
    .where(options.where ?? "", parseBind(options.bind))
    .orderBy(...(ordered ? (options.orderBy ?? []) : sortKeys))
    .limit(limit.fetch, options.offset ?? 0);
  const dataIds = await results.toArray();
  const truncated = trimToLimit(dataIds, limit);
  const rows = dataIds.map((dataId) => columns.map((d) => dataId.get(d) ?? null));
  ctx.stdout.write(
    formatTable({ columns, rows: ordered ? rows : sortRows(columns, rows, sortKeys) }, options.format),
  );
  if (truncated) warnLimit(ctx, "data IDs", limit.keep as number);
  if (rows.length === 0) reportNoResults(ctx, await results.explainNoResults());
}

/** `butler query-data-ids REPO [DIMENSIONS...]`. */
export const registerQueryDataIds: RegisterCommand = (program: Command, context) => {
  program
    .command("query-data-ids")
    .summary("List the data IDs in a repository.")
    .description(
      "List the data IDs in a repository: one column per dimension (required, then implied), sorted unless --order-by.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument(
      "[dimensions...]",
      "Dimensions of the data IDs, such as exposure, instrument or tract (their dependencies are added; default with --datasets: the dimensions every dataset type has).",
    )
    .addOption(
      collectionsOption(
        "Collections to search for --datasets (repeatable, comma-separated, globs allowed; default: all). May only be used with --datasets.",
      ),
    )
    .addOption(
      datasetsOption(
        "Dataset type names or globs (repeatable, comma-separated): keep only data IDs for which a dataset of each type exists in --collections.",
      ),
    )
    .addOption(whereOption())
    .addOption(bindOption())
    .addOption(orderByOption())
    .addOption(limitOption())
    .addOption(offsetOption())
    .addOption(queryFormatOption())
    .action(async (repo: string, dimensions: string[], options: QueryDataIdsOptions) => {
      await withRegistry(repo, false, (registry) => run(context(), registry, dimensions, options));
    });
};
