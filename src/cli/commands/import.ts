import { isAbsolute, join } from "node:path";
import type { Command } from "commander";
import type { TransferMode } from "../../datastore/datastore.ts";
import type { ImportSummary } from "../../repository/import-repository.ts";
import {
  collectList,
  inform,
  type RegisterCommand,
  transferOption,
  withButler,
  withRegistry,
} from "../command-kit.ts";
import type { CliContext } from "../context.ts";
import { progressBar } from "../progress.ts";

interface ImportOptions {
  readonly exportFile: string;
  readonly skipDimensions?: string[];
  readonly withoutDatastore?: boolean;
  readonly transfer: TransferMode;
  readonly trackFileAttrs?: boolean;
}

function report(context: CliContext, summary: ImportSummary, files: number | undefined): void {
  for (const warning of summary.warnings) context.stderr.write(`warning: ${warning}\n`);
  const ingested = files === undefined ? "" : ` (${files} file${files === 1 ? "" : "s"} ingested)`;
  inform(
    context,
    `Imported ${summary.dimensionRecords} dimension records, ${summary.datasetTypes} dataset types, ${summary.collections} collections and ${summary.datasets} datasets${ingested}.`,
  );
}

/** `butler import REPO DIRECTORY`: load a daf_butler export file, with its dataset files. */
export const registerImport: RegisterCommand = (program: Command, context) => {
  program
    .command("import")
    .summary("Import data into a butler repository.")
    .description(
      "Import data into a butler repository: the export file's dimension records, collections, dataset types and datasets, and the datasets' files (paths relative to DIRECTORY), all or nothing.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument("<directory>", "Directory of the export (dataset paths are relative to it).")
    .option("--export-file <file>", "Export file; a relative path is looked up in DIRECTORY.", "export.yaml")
    .option(
      "-s, --skip-dimensions <elements>",
      "Dimension elements whose records are not imported (repeatable).",
      collectList,
    )
    .option("--without-datastore", "Import the registry only; dataset files are not ingested.")
    .addOption(
      transferOption("How to bring dataset files in (default auto: copy files from outside the repository)."),
    )
    .option(
      "--track-file-attrs",
      "Accepted for daf_butler compatibility; butler-ts always records file sizes (checksums as the datastore config says).",
    )
    .option("--no-track-file-attrs", "Accepted for daf_butler compatibility; no effect.")
    .action(async (repo: string, directory: string, options: ImportOptions) => {
      const file = isAbsolute(options.exportFile) ? options.exportFile : join(directory, options.exportFile);
      const ctx = context();
      const bar = progressBar(ctx, "Importing");
      const progress = {
        ...(options.skipDimensions !== undefined ? { skipDimensions: options.skipDimensions } : {}),
        onProgress: (done: number, total: number) => bar.update(done, total),
      };
      try {
        if (options.withoutDatastore) {
          const { importExportFile } = await import("../../repository/import-repository.ts");
          await withRegistry(repo, true, async (registry) => {
            report(
              ctx,
              await importExportFile(registry, file, { ...progress, withoutDatastore: true }),
              undefined,
            );
          });
          return;
        }
        const { importWithFiles } = await import("../../butler/import-export.ts");
        await withButler(repo, { writeable: true }, async (butler) => {
          const summary = await importWithFiles(butler, file, directory, {
            ...progress,
            transfer: options.transfer,
          });
          report(ctx, summary, summary.files);
        });
      } finally {
        bar.finish();
      }
    });
};
