import { type Command, Option } from "commander";
import { inform, type RegisterCommand, withButler } from "../command-kit.ts";
import { dataIdOption, parameterOption, parseDataId, parseParameters } from "../key-value-options.ts";
import { OBJECT_FILE_EXTENSIONS, PRINT_FORMATS, printableObject, writeObjectFile } from "../object-files.ts";
import { collectionsOption } from "../query-options.ts";

interface GetOptions {
  readonly dataId?: string[];
  readonly collections?: string[];
  readonly parameter?: string[];
  readonly output?: string;
  readonly format?: string;
}

/**
 * `butler get REPO DATASET_TYPE` (butler-ts's verb): read a dataset and print it, or write it to a file
 * in the format the file's extension names.
 */
export const registerGet: RegisterCommand = (program: Command, context) => {
  program
    .command("get")
    .summary("Read a dataset and print it or write it to a file.")
    .description(
      "Read the dataset of DATASET_TYPE (or a component, type.component) with the data ID, found first in the collections, and print it (text as is, anything else as JSON) or write it to --output.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument("<dataset-type>", "Dataset type name, or type.component for a component.")
    .addOption(dataIdOption("Data ID of the dataset, as KEY=VALUE (repeatable, comma-separated)."))
    .addOption(collectionsOption("Collections to search, in order (repeatable, comma-separated)."))
    .addOption(parameterOption())
    .option(
      "--output <file>",
      `Write the dataset to this file, in the format its extension names (${OBJECT_FILE_EXTENSIONS.join(", ")}).`,
    )
    .addOption(
      new Option(
        "--format <format>",
        "How to print the dataset (default: text for text, rows for tables, a summary for images, else json).",
      ).choices(PRINT_FORMATS),
    )
    .action(async (repo: string, datasetType: string, options: GetOptions) => {
      const dataId = parseDataId(options.dataId);
      const parameters = parseParameters(options.parameter);
      const ctx = context();
      const object = await withButler(repo, {}, (butler) =>
        butler.get(datasetType, dataId, {
          ...(options.collections === undefined ? {} : { collections: options.collections }),
          ...(Object.keys(parameters).length === 0 ? {} : { parameters }),
        }),
      );
      if (options.output === undefined) {
        ctx.stdout.write(await printableObject(object, options.format));
        return;
      }
      await writeObjectFile(options.output, object);
      inform(ctx, `Wrote ${datasetType} to ${options.output}.`);
    });
};
