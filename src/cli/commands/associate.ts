import type { Command } from "commander";
import { CommandLineError } from "../../errors.ts";
import { collectList, inform, type RegisterCommand, withRegistry } from "../command-kit.ts";

/** `butler associate REPO COLLECTION`: tag datasets found in other collections. */
export const registerAssociate: RegisterCommand = (program: Command, context) => {
  program
    .command("associate")
    .description(
      "Add existing datasets to a tagged collection; searches for datasets with the options and adds them to the named COLLECTION.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument("<collection>", "TAGGED collection to add to (created if absent).")
    .option("--dataset-type <names>", "Dataset types to add (repeatable, comma-separated).", collectList)
    .option("--collections <names>", "Collections to search (repeatable, comma-separated).", collectList)
    .option("--where <expression>", "Only datasets matching this expression (needs the query system).")
    .option("--find-first", "Only the first dataset of each data ID in the collections' order.")
    .action(
      async (
        repo: string,
        tag: string,
        options: { datasetType?: string[]; collections?: string[]; where?: string; findFirst?: boolean },
      ) => {
        if (options.where !== undefined) {
          throw new CommandLineError("--where is not supported by this version of butler-ts", {
            hint: "Select datasets with --dataset-type and --collections for now.",
          });
        }
        if (options.collections === undefined || options.collections.length === 0) {
          throw new CommandLineError("associate needs --collections to search", {
            hint: "Pass --collections NAME.",
          });
        }
        const collections = options.collections;
        await withRegistry(repo, true, async (registry) => {
          const types = await registry.datasetTypes.query(options.datasetType ?? []);
          let count = 0;
          await registry.transaction(async () => {
            await registry.collections.register(tag, "TAGGED");
            for (const type of types) {
              const refs = await registry.datasets.query(type.name, {
                collections,
                findFirst: options.findFirst === true,
              });
              await registry.datasets.associate(tag, refs);
              count += refs.length;
            }
          });
          inform(context(), `Associated ${count} dataset${count === 1 ? "" : "s"} with "${tag}".`);
        });
      },
    );
};
