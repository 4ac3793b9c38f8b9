import { isAbsolute, join } from "node:path";
import type { Command } from "commander";
import { collectList, inform, type RegisterCommand, withRegistry } from "../command-kit.ts";
import { progressBar } from "../progress.ts";

/** `butler import REPO DIRECTORY`: load a daf_butler export file. */
export const registerImport: RegisterCommand = (program: Command, context) => {
  program
    .command("import")
    .description("Import data into a butler repository.")
    .argument("<repo>", "Path of the repository.")
    .argument("<directory>", "Directory of the export (dataset paths are relative to it).")
    .option("--export-file <file>", "Export file; a relative path is looked up in DIRECTORY.", "export.yaml")
    .option(
      "-s, --skip-dimensions <elements>",
      "Dimension elements whose records are not imported (repeatable).",
      collectList,
    )
    .option("--without-datastore", "Import the registry only; dataset files are not ingested.")
    .option("-t, --transfer <mode>", "How to bring dataset files in (needs the datastore).", "auto")
    .action(
      async (
        repo: string,
        directory: string,
        options: { exportFile: string; skipDimensions?: string[]; withoutDatastore?: boolean },
      ) => {
        const file = isAbsolute(options.exportFile)
          ? options.exportFile
          : join(directory, options.exportFile);
        const ctx = context();
        const { importExportFile } = await import("../../repository/import-repository.ts");
        await withRegistry(repo, true, async (registry) => {
          const bar = progressBar(ctx, "Importing");
          const summary = await importExportFile(registry, file, {
            ...(options.skipDimensions !== undefined ? { skipDimensions: options.skipDimensions } : {}),
            withoutDatastore: options.withoutDatastore === true,
            onProgress: (done, total) => bar.update(done, total),
          }).finally(() => bar.finish());
          for (const warning of summary.warnings) ctx.stderr.write(`warning: ${warning}\n`);
          inform(
            ctx,
            `Imported ${summary.dimensionRecords} dimension records, ${summary.datasetTypes} dataset types, ${summary.collections} collections and ${summary.datasets} datasets.`,
          );
        });
      },
    );
};
