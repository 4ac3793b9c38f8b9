import type { Command } from "commander";
import { printTable, type RegisterCommand, withButler } from "../command-kit.ts";
import { datasetTable } from "../dataset-table.ts";
import { dataIdOption, parseDataId } from "../key-value-options.ts";
import { OBJECT_FILE_EXTENSIONS, readObjectFile } from "../object-files.ts";

/**
 * `butler put REPO DATASET_TYPE RUN FILE` (butler-ts's verb): store the object in a JSON, YAML or text
 * file as a new dataset. The butler writes its own copy, in the format its configuration chooses for
 * the storage class, at the templated path; FILE is left alone.
 */
export const registerPut: RegisterCommand = (program: Command, context) => {
  program
    .command("put")
    .summary("Store the object in a file as a new dataset.")
    .description(
      `Store the object in FILE (read by the formatter its extension names: ${OBJECT_FILE_EXTENSIONS.join(", ")}) as a new dataset of DATASET_TYPE in RUN (registered if absent), and print the new dataset. The butler writes its own copy at the templated path, in the format configured for the storage class.`,
    )
    .argument("<repo>", "Path of the repository.")
    .argument("<dataset-type>", "Name of a registered dataset type.")
    .argument("<run>", "RUN collection to put the dataset in (created if absent).")
    .argument("<file>", "File holding the object.")
    .addOption(
      dataIdOption(
        "Data ID of the dataset, as KEY=VALUE (repeatable, comma-separated; e.g. instrument=HSC,detector=16).",
      ),
    )
    .action(
      async (
        repo: string,
        datasetType: string,
        run: string,
        file: string,
        options: { dataId?: string[] },
      ) => {
        const dataId = parseDataId(options.dataId);
        await withButler(repo, { run }, async (butler) => {
          const type = await butler.registry.datasetTypes.get(datasetType);
          const object = await readObjectFile(file, type.storageClass);
          const ref = await butler.put(object, type, dataId);
          printTable(
            context(),
            datasetTable({ name: ref.datasetType.name, dimensions: ref.datasetType.dimensions, refs: [ref] }),
            "table",
          );
        });
      },
    );
};
