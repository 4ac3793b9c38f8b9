import { isAbsolute, resolve } from "node:path";
import { type Command, Option } from "commander";
import { resolveDataId } from "../../butler/resolve-data-id.ts";
import {
  DATASET_ID_GENERATION_MODES,
  type DatasetIdGenerationMode,
  deterministicDatasetId,
  newDatasetId,
} from "../../datasets/dataset-id.ts";
import { DatasetRef } from "../../datasets/dataset-ref.ts";
import type { TransferMode } from "../../datastore/datastore.ts";
import { FormatterTable } from "../../datastore/formatters/formatter-table.ts";
import { ResourceUri } from "../../datastore/storage/resource-uri.ts";
import { inform, type RegisterCommand, transferOption, withButler } from "../command-kit.ts";
import { dataIdOption, parseDataId } from "../key-value-options.ts";
import { progressBar } from "../progress.ts";
import { readTableFile } from "../table-file.ts";

interface IngestFilesOptions {
  readonly formatter?: string;
  readonly idGenerationMode: DatasetIdGenerationMode;
  readonly dataId?: string[];
  readonly prefix?: string;
  readonly transfer: TransferMode;
}

/** A table's file cell as an absolute path or URI: relative paths are taken relative to `prefix`. */
function absolute(file: string, prefix: string): string {
  if (ResourceUri.hasScheme(file) || isAbsolute(file)) return file;
  return ResourceUri.hasScheme(prefix) ? `${prefix.replace(/\/?$/, "/")}${file}` : resolve(prefix, file);
}

/** `butler ingest-files REPO DATASET_TYPE RUN TABLE_FILE`: ingest the files a table lists. */
export const registerIngestFiles: RegisterCommand = (program: Command, context) => {
  program
    .command("ingest-files")
    .summary("Ingest files from table file.")
    .description(
      "Ingest files listed in TABLE_FILE as datasets of DATASET_TYPE (which must exist) in RUN (created if absent), all or nothing. The table has a header row; its first column is the file's path or URI, the others are dimension values (a file on several rows holds several datasets). TABLE_FILE is CSV (.csv), ECSV (astropy's text format), or whitespace-separated text; Parquet tables are not supported yet.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument("<dataset-type>", "Name of a registered dataset type.")
    .argument("<run>", "RUN collection to ingest into (created if absent).")
    .argument("<table-file>", "Table of files and data IDs.")
    .option(
      "--formatter <name>",
      "Formatter that reads the files: ours (json, yaml, text, ...) or a daf_butler class name (default: the one the file extension names, else the configured one).",
    )
    .addOption(
      new Option(
        "--id-generation-mode <mode>",
        "How dataset IDs are made: unique, or derived from the data ID and type (and run).",
      )
        .choices(DATASET_ID_GENERATION_MODES)
        .default("UNIQUE"),
    )
    .addOption(
      dataIdOption(
        "Data ID values fixed for every row, as KEY=VALUE (repeatable, comma-separated); they override table columns.",
      ),
    )
    .option(
      "--prefix <path>",
      "Directory (or URI) relative paths in the table are relative to (default: the current directory).",
    )
    .addOption(
      transferOption("How to bring the files in (default auto: copy files from outside the repository)."),
    )
    .option(
      "--track-file-attrs",
      "Accepted for daf_butler compatibility: file sizes are always recorded, checksums as the datastore config says.",
    )
    .option("--no-track-file-attrs", "Accepted for daf_butler compatibility; no effect.")
    .action(
      async (
        repo: string,
        datasetType: string,
        run: string,
        tableFile: string,
        options: IngestFilesOptions,
      ) => {
        const { formatter, idGenerationMode: mode, transfer } = options;
        // Checked before the table is read: an unknown name fails fast.
        if (formatter !== undefined) FormatterTable.defaults().get(formatter);
        const fixed = parseDataId(options.dataId);
        const table = await readTableFile(tableFile);
        const prefix = options.prefix ?? process.cwd();
        const ctx = context();
        await withButler(repo, { writeable: true }, async (butler) => {
          const type = await butler.registry.datasetTypes.get(datasetType);
          const byFile = new Map<string, DatasetRef[]>();
          const bar = progressBar(ctx, "Reading table");
          try {
            for (const [index, [file = "", ...values]] of table.rows.entries()) {
              const input = {
                ...Object.fromEntries(table.columns.slice(1).map((c, i) => [c, values[i]])),
                ...fixed,
              };
              const { dataId } = await resolveDataId(butler.registry, type, input, {
                expand: false,
                wantTimespan: false,
              });
              const id =
                mode === "UNIQUE" ? newDatasetId() : deterministicDatasetId(type.name, dataId, mode, run);
              const path = absolute(file, prefix);
              byFile.set(path, [...(byFile.get(path) ?? []), new DatasetRef(id, type, dataId, run)]);
              bar.update(index + 1, table.rows.length);
            }
          } finally {
            bar.finish();
          }
          const refs = await butler.ingest(
            [...byFile].map(([path, refs]) => ({
              path,
              refs,
              ...(formatter === undefined ? {} : { formatter }),
            })),
            { transfer },
          );
          inform(
            ctx,
            `Ingested ${refs.length} dataset${refs.length === 1 ? "" : "s"} from ${byFile.size} file${byFile.size === 1 ? "" : "s"} into "${run}".`,
          );
        });
      },
    );
};
