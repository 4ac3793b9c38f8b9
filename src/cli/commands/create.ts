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
    .option(
      "--db <url>",
      "Registry database instead of REPO/gen3.sqlite3 (butler-ts): postgresql://USER@HOST/DB, or " +
        "postgresql://USER@/DB?host=/socket/dir; the datastore stays in REPO.",
    )
    .option(
      "--fine-skypix <dimension>",
      "A skypix level finer than the common one (e.g. htm9) whose overlap rows are kept too, so that " +
        "region constraints on dense data refine fewer candidates (butler-ts).",
    )
    .option(
      "--namespace <name>",
      "PostgreSQL schema of the repository's tables, created when absent (butler-ts; default: derived " +
        "from REPO's directory name).",
    )
    .action(
      async (
        repo: string,
        options: {
          seedConfig?: string;
          dimensionConfig?: string;
          override?: boolean;
          db?: string;
          namespace?: string;
          fineSkypix?: string;
        },
      ) => {
        const { createRepository } = await import("../../repository/create-repository.ts");
        const registry = await createRepository(repo, {
          ...(options.seedConfig !== undefined ? { seedConfig: options.seedConfig } : {}),
          ...(options.dimensionConfig !== undefined ? { dimensionConfig: options.dimensionConfig } : {}),
          ...(options.db !== undefined ? { db: options.db } : {}),
          ...(options.namespace !== undefined ? { namespace: options.namespace } : {}),
          ...(options.fineSkypix !== undefined ? { fineSkyPix: options.fineSkypix } : {}),
          override: options.override === true,
        });
        await registry.close();
        const where = options.db === undefined ? "" : `registry ${registry.location}, `;
        inform(context(), `Created repository ${repo} (${where}dimension universe ${registry.universe}).`);
      },
    );
};
