import type { Command } from "commander";
import { inform, type RegisterCommand } from "../command-kit.ts";

/** `butler create REPO`: an empty repository in daf_butler's format. */
export const registerCreate: RegisterCommand = (program: Command, context) => {
  program
    .command("create")
    .description("Create an empty Gen3 Butler repository.")
    .argument("<repo>", "Path of the new repository.")
    .option("--seed-config <file>", "YAML config whose values override the defaults.")
    .option("--dimension-config <file>", "dimensions.yaml defining the repository's dimension universe.")
    .option("--override", "Keep roots and database locations from the seed config.")
    .action(
      async (
        repo: string,
        options: { seedConfig?: string; dimensionConfig?: string; override?: boolean },
      ) => {
        const { createRepository } = await import("../../repository/create-repository.ts");
        const registry = await createRepository(repo, {
          ...(options.seedConfig !== undefined ? { seedConfig: options.seedConfig } : {}),
          ...(options.dimensionConfig !== undefined ? { dimensionConfig: options.dimensionConfig } : {}),
          override: options.override === true,
        });
        await registry.close();
        inform(context(), `Created repository ${repo} (dimension universe ${registry.universe}).`);
      },
    );
};
