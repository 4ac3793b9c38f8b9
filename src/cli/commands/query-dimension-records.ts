import type { Command } from "commander";
import { recordFieldSpecs } from "../../dimensions/dimension-record.ts";
import { CommandLineError } from "../../errors.ts";
import type { Registry } from "../../registry/registry.ts";
import { type RegisterCommand, withRegistry } from "../command-kit.ts";
import type { CliContext } from "../context.ts";
import { resolveDatasetTypes } from "../dataset-search.ts";
import { formatTable, type OutputFormat } from "../output-table.ts";
import { recordCell } from "../query-cells.ts";
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
  warn,
  warnLimit,
  whereOption,
} from "../query-options.ts";
import { sortRows } from "../sort-rows.ts";

interface QueryDimensionRecordsOptions extends QueryOptions {
  readonly collections?: string[];
  readonly datasets?: string[];
  readonly check?: boolean;
  readonly format: OutputFormat;
}

async function run(
  ctx: CliContext,
  registry: Registry,
  elementName: string,
  options: QueryDimensionRecordsOptions,
): Promise<void> {
  const element = registry.universe.element(elementName);
  const columns = element.recordFields.map((name) => (name === "timespan" ? "timespan (TAI)" : name));
  let query = registry.query();
  if (options.datasets !== undefined) {
    const { types, unmatched } = await resolveDatasetTypes(registry, options.datasets);
    if (types.length === 0) {
      ctx.stdout.write(formatTable({ columns, rows: [] }, options.format));
      reportNoResults(ctx, unmatched);
      return;
    }
    for (const type of types) query = query.joinDatasetSearch(type.name, options.collections ?? ["*"]);
  } else if (options.collections !== undefined) {
    throw new CommandLineError("--collections may only be used with --datasets", {
      hint: "Add --datasets TYPE to keep the records of data IDs that have datasets of TYPE in the collections.",
    });
  }
  const ordered = (options.orderBy ?? []).length > 0;
  const limit = limitPlan(options.limit);
  const results = query
    .dimensionRecords(element.name)
    .where(options.where ?? "", parseBind(options.bind))
    .orderBy(...(ordered ? (options.orderBy ?? []) : element.required.map((d) => d.name)))
    .limit(limit.fetch, options.offset ?? 0);
  const records = await results.toArray();
  const truncated = trimToLimit(records, limit);
  const specs = recordFieldSpecs(element);
  const cells = records.map((record) =>
    element.recordFields.map((field) => recordCell(record.get(field), specs.get(field))),
  );
  // Unless ordered, daf_butler sorts records by their data IDs: the required values, in order.
  const idFields = element.required.map((d) => element.keyField(d.name) as string);
  const rows = ordered ? cells : sortRows(element.recordFields, cells, idFields);
  ctx.stdout.write(formatTable({ columns, rows }, options.format));
  if (truncated) warnLimit(ctx, "dimension records", limit.keep as number);
  if (rows.length === 0) reportNoResults(ctx, await results.explainNoResults());
}

/** `butler query-dimension-records REPO ELEMENT`. */
export const registerQueryDimensionRecords: RegisterCommand = (program: Command, context) => {
  program
    .command("query-dimension-records")
    .summary("Query for dimension information.")
    .description(
      "Query for dimension information: the records of one dimension element, fields as columns, sorted by data ID unless --order-by.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument("<element>", "Dimension element, such as visit, detector or visit_detector_region.")
    .addOption(
      datasetsOption(
        "Dataset type names or globs (repeatable, comma-separated): keep only records of data IDs for which a dataset of each type exists in --collections.",
      ),
    )
    .addOption(
      collectionsOption(
        "Collections to search for --datasets (repeatable, comma-separated, globs allowed; default: all). May only be used with --datasets.",
      ),
    )
    .addOption(whereOption())
    .addOption(bindOption())
    .addOption(orderByOption())
    .addOption(limitOption())
    .addOption(offsetOption())
    .option("--no-check", "Has no effect (kept for daf_butler compatibility; warns).")
    .addOption(queryFormatOption())
    .action(async (repo: string, element: string, options: QueryDimensionRecordsOptions) => {
      const ctx = context();
      if (options.check === false)
        warn(ctx, "--no-check option has no effect and will be removed after v28.");
      await withRegistry(repo, false, (registry) => run(ctx, registry, element, options));
    });
};
