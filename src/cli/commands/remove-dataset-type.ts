import type { Command } from "commander";
import { inform, type RegisterCommand, withRegistry } from "../command-kit.ts";

/** `butler remove-dataset-type REPO NAME...` (glob patterns allowed). */
export const registerRemoveDatasetType: RegisterCommand = (program: Command, context) => {
  program
    .command("remove-dataset-type")
    .description("Remove the dataset type definitions from a repository.")
    .argument("<repo>", "Path of the repository.")
    .argument("<names...>", "Dataset type names or glob patterns.")
    .action(async (repo: string, names: string[]) => {
      await withRegistry(repo, true, async (registry) => {
        const removed: string[] = [];
        await registry.transaction(async () => {
          for (const name of names) removed.push(...(await registry.datasetTypes.remove(name)));
        });
        inform(
          context(),
          removed.length === 0
            ? "No dataset types matched; nothing removed."
            : `Removed dataset types: ${removed.join(", ")}.`,
        );
      });
    });
};
