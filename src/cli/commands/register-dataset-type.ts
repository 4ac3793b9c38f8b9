import type { Command } from "commander";
import { inform, type RegisterCommand, withRegistry } from "../command-kit.ts";

/** `butler register-dataset-type REPO NAME STORAGE_CLASS [DIMENSIONS...]`. */
export const registerRegisterDatasetType: RegisterCommand = (program: Command, context) => {
  program
    .command("register-dataset-type")
    .description("Register a new dataset type with this butler repository.")
    .argument("<repo>", "Path of the repository.")
    .argument("<dataset-type>", "Name of the dataset type.")
    .argument("<storage-class>", "Storage class of its datasets.")
    .argument("[dimensions...]", "Dimensions of its data IDs.")
    .option("--is-calibration", "The dataset type may be certified into CALIBRATION collections.")
    .option("--no-is-calibration", "The dataset type is not a calibration (default).")
    .action(
      async (
        repo: string,
        name: string,
        storageClass: string,
        dimensions: string[],
        options: { isCalibration?: boolean },
      ) => {
        const { DatasetType } = await import("../../datasets/dataset-type.ts");
        await withRegistry(repo, true, async (registry) => {
          const datasetType = DatasetType.make(registry.universe, {
            name,
            dimensions,
            storageClass,
            isCalibration: options.isCalibration === true,
          });
          const inserted = await registry.datasetTypes.register(datasetType);
          inform(
            context(),
            inserted
              ? "Dataset type successfully registered."
              : "Dataset type already existed in identical form.",
          );
        });
      },
    );
};
