import type { Command } from "commander";
import { collectList, inform, type RegisterCommand, withRegistry } from "../command-kit.ts";
import { searchDatasets } from "../dataset-search.ts";
import {
  bindOption,
  collectionsOption,
  limitOption,
  parseBind,
  reportNoResults,
  warn,
  warnLimit,
  whereOption,
} from "../query-options.ts";

interface AssociateOptions {
  readonly datasetType?: string[];
  readonly collections?: string[];
  readonly where?: string;
  readonly bind?: string[];
  readonly findFirst?: boolean;
  readonly limit: number;
}

/** `butler associate REPO COLLECTION`: tag datasets found in other collections. */
export const registerAssociate: RegisterCommand = (program: Command, context) => {
  program
    .command("associate")
    .summary("Add existing datasets to a tagged collection.")
    .description(
      "Add existing datasets to a tagged collection; searches for datasets with the options and adds them to the named COLLECTION.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument("<collection>", "TAGGED collection to add to (created if absent).")
    .option(
      "--dataset-type <names>",
      "Dataset type names or globs (repeatable, comma-separated; default: all, with a warning).",
      collectList,
    )
    .addOption(
      collectionsOption(
        "Collections to search, in order (repeatable, comma-separated; globs allowed without --find-first; default: all, with a warning).",
      ),
    )
    .addOption(whereOption())
    .addOption(bindOption())
    .option("--find-first", "Only the first dataset of each data ID in the collections' order.")
    .addOption(limitOption(0))
    .action(async (repo: string, tag: string, options: AssociateOptions) => {
      const ctx = context();
      await withRegistry(repo, true, async (registry) => {
        const result = await searchDatasets(registry, {
          datasetTypes: options.datasetType ?? [],
          collections: options.collections ?? [],
          where: options.where,
          bind: parseBind(options.bind),
          findFirst: options.findFirst === true,
          orderBy: [],
          limit: options.limit,
        });
        for (const message of result.warnings) warn(ctx, message);
        if (result.truncated) warnLimit(ctx, "datasets", -options.limit);
        let count = 0;
        await registry.transaction(async () => {
          await registry.collections.register(tag, "TAGGED");
          for (const group of result.groups) {
            await registry.datasets.associate(tag, group.refs);
            count += group.refs.length;
          }
        });
        if (count === 0) reportNoResults(ctx, result.reasons, "No datasets matched the query.");
        inform(ctx, `Associated ${count} dataset${count === 1 ? "" : "s"} with "${tag}".`);
      });
    });
};
