import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { collectList, inform, type RegisterCommand, withRegistry } from "../command-kit.ts";

/** `butler export REPO DIRECTORY` (butler-ts's verb): write an export file daf_butler can import. */
export const registerExport: RegisterCommand = (program: Command, context) => {
  program
    .command("export")
    .description("Export collections, datasets and dimension records to DIRECTORY/export.yaml.")
    .argument("<repo>", "Path of the repository.")
    .argument("<directory>", "Directory to write the export into (created if needed).")
    .option(
      "--collections <names>",
      "Collections to export (repeatable, comma-separated, globs allowed; default all).",
      collectList,
    )
    .option(
      "--dataset-type <names>",
      "Dataset types to export (repeatable, comma-separated, globs allowed; default all).",
      collectList,
    )
    .option("--export-file <name>", "Name of the file in DIRECTORY.", "export.yaml")
    .option("--all-dimension-records", "Export every dimension record, not only those the datasets need.")
    .action(
      async (
        repo: string,
        directory: string,
        options: {
          collections?: string[];
          datasetType?: string[];
          exportFile: string;
          allDimensionRecords?: boolean;
        },
      ) => {
        const { exportRegistry } = await import("../../repository/export-repository.ts");
        const { formatExportDocument } = await import("../../transfers/write-export.ts");
        await withRegistry(repo, false, async (registry) => {
          const document = await exportRegistry(registry, {
            ...(options.collections !== undefined ? { collections: options.collections } : {}),
            ...(options.datasetType !== undefined ? { datasetTypes: options.datasetType } : {}),
            dimensionRecords: options.allDimensionRecords ? "all" : "reachable",
          });
          await mkdir(directory, { recursive: true });
          const path = join(directory, options.exportFile);
          const temporary = `${path}.${process.pid}.tmp`;
          await writeFile(temporary, formatExportDocument(document, { universe: registry.universe }));
          await rename(temporary, path);
          inform(context(), `Exported ${document.items.length} items to ${path}.`);
        });
      },
    );
};
