import type { Command } from "commander";
import { collectList } from "./command-kit.ts";
import type { DatasetSearchRequest } from "./dataset-search.ts";
import {
  bindOption,
  collectionsOption,
  limitOption,
  orderByOption,
  parseBind,
  type QueryOptions,
  whereOption,
} from "./query-options.ts";

/** The dataset query options of the verbs that act on the datasets a query finds, as commander parses them. */
export interface DatasetQueryOptions extends QueryOptions {
  readonly datasetType?: string[];
  readonly collections?: string[];
  readonly findFirst?: boolean;
}

/**
 * Add daf_butler's dataset query options of `retrieve-artifacts` and `transfer-datasets`:
 * `--dataset-type`, `--collections`, `--where` (and `--bind`), `--find-first`, `--order-by`, `--limit`.
 */
export function datasetQueryOptions(command: Command): Command {
  return command
    .option(
      "--dataset-type <names>",
      "Dataset type names or globs (repeatable, comma-separated; default: all).",
      collectList,
    )
    .addOption(
      collectionsOption(
        "Collections to search, in order (repeatable, comma-separated; globs allowed without --find-first; default: all).",
      ),
    )
    .addOption(whereOption())
    .addOption(bindOption())
    .option("--find-first", "Only the first dataset of each data ID in the collections' order.")
    .addOption(orderByOption())
    .addOption(limitOption());
}

/** The search the options ask for; no dataset types or collections means all of them, as daf_butler's scripts do. */
export function datasetSearchRequest(options: DatasetQueryOptions): DatasetSearchRequest {
  return {
    datasetTypes: options.datasetType ?? ["*"],
    collections: options.collections ?? ["*"],
    where: options.where,
    bind: parseBind(options.bind),
    findFirst: options.findFirst === true,
    orderBy: options.orderBy ?? [],
    limit: options.limit,
  };
}
