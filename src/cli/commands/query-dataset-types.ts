import type { Command } from "commander";
import {
  collectList,
  formatOption,
  inform,
  printTable,
  type RegisterCommand,
  withRegistry,
} from "../command-kit.ts";
import type { OutputFormat } from "../output-table.ts";

/** `butler query-dataset-types REPO [GLOB...]`. */
export const registerQueryDatasetTypes: RegisterCommand = (program: Command, context) => {
  program
    .command("query-dataset-types")
    .description("Get the dataset types in a repository.")
    .argument("<repo>", "Path of the repository.")
    .argument("[glob...]", "Dataset type names or glob patterns (default: all).")
    .option("-v, --verbose", "Also show dimensions and storage class.")
    .option(
      "--collections <names>",
      "Only types with datasets in these collections (repeatable, comma-separated).",
      collectList,
    )
    .addOption(formatOption())
    .action(
      async (
        repo: string,
        globs: string[],
        options: { verbose?: boolean; collections?: string[]; format: OutputFormat },
      ) => {
        await withRegistry(repo, false, async (registry) => {
          let types = await registry.datasetTypes.query(globs);
          if (options.collections !== undefined) {
            const collections = options.collections;
            const present = await Promise.all(
              types.map(async (t) => (await registry.datasets.query(t.name, { collections })).length > 0),
            );
            types = types.filter((_, i) => present[i]);
          }
          if (types.length === 0 && options.format === "table") {
            inform(context(), "No results. Try --help for more information.");
            return;
          }
          const columns = options.verbose ? ["name", "dimensions", "storage class"] : ["name"];
          const rows = types.map((t) =>
            options.verbose ? [t.name, `(${t.dimensions.required.join(", ")})`, t.storageClass] : [t.name],
          );
          printTable(context(), { columns, rows, align: "left" }, options.format);
        });
      },
    );
};
