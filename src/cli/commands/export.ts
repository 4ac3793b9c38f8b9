import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type Command, Option } from "commander";
import type { ExportTransfer } from "../../butler/import-export.ts";
import { TRANSFER_MODES } from "../../datastore/datastore.ts";
import type { ExportOptions } from "../../repository/export-repository.ts";
import type { ExportDocument } from "../../transfers/export-document.ts";
import { collectList, inform, type RegisterCommand, withButler, withRegistry } from "../command-kit.ts";

interface ExportVerbOptions {
  readonly collections?: string[];
  readonly datasetType?: string[];
  readonly exportFile: string;
  readonly allDimensionRecords?: boolean;
  readonly transfer?: ExportTransfer;
}

/** `butler export REPO DIRECTORY` (butler-ts's verb): write an export file daf_butler can import. */
export const registerExport: RegisterCommand = (program: Command, context) => {
  program
    .command("export")
    .summary("Export datasets, collections and dimension records (with --transfer, their files too).")
    .description(
      "Export collections, datasets and dimension records to DIRECTORY/export.yaml; with --transfer, also the datasets' files, at their paths inside the repository, named in the export file with their formatters (daf_butler's format).",
    )
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
    .addOption(
      new Option(
        "-t, --transfer <mode>",
        "Also export the datasets' files: copy (or link) them into DIRECTORY; direct records their absolute URIs instead. Default: registry entries only.",
      ).choices(TRANSFER_MODES.filter((mode) => mode !== "move")),
    )
    .action(async (repo: string, directory: string, options: ExportVerbOptions) => {
      const selection: Omit<ExportOptions, "pathOf"> = {
        ...(options.collections !== undefined ? { collections: options.collections } : {}),
        ...(options.datasetType !== undefined ? { datasetTypes: options.datasetType } : {}),
        dimensionRecords: options.allDimensionRecords ? "all" : "reachable",
      };
      const { formatExportDocument } = await import("../../transfers/write-export.ts");
      const save = async (document: ExportDocument, universe: Parameters<typeof formatExportDocument>[1]) => {
        await mkdir(directory, { recursive: true });
        const path = join(directory, options.exportFile);
        const temporary = `${path}.${process.pid}.tmp`;
        await writeFile(temporary, formatExportDocument(document, universe));
        await rename(temporary, path);
        return path;
      };
      const { transfer } = options;
      if (transfer === undefined) {
        const { exportRegistry } = await import("../../repository/export-repository.ts");
        await withRegistry(repo, false, async (registry) => {
          const document = await exportRegistry(registry, selection);
          const path = await save(document, { universe: registry.universe });
          inform(context(), `Exported ${document.items.length} items to ${path}.`);
        });
        return;
      }
      const { exportWithFiles } = await import("../../butler/import-export.ts");
      await withButler(repo, {}, async (butler) => {
        const { document, files } = await exportWithFiles(butler, directory, { ...selection, transfer });
        const path = await save(document, { universe: butler.universe });
        inform(context(), `Exported ${document.items.length} items and ${files} files to ${path}.`);
      });
    });
};
