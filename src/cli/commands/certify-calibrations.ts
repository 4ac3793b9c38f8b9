import type { Command } from "commander";
import type { DatasetRef } from "../../datasets/dataset-ref.ts";
import { DatasetNotFoundError } from "../../errors.ts";
import { parseTime } from "../../time/parse-time.ts";
import { Timespan } from "../../time/timespan.ts";
import { inform, type RegisterCommand, withRegistry } from "../command-kit.ts";

/** `butler certify-calibrations REPO INPUT OUTPUT DATASET_TYPE`. */
export const registerCertifyCalibrations: RegisterCommand = (program: Command, context) => {
  program
    .command("certify-calibrations")
    .description("Certify calibrations in a repository.")
    .argument("<repo>", "Path of the repository.")
    .argument("<input-collection>", "Collection to take the datasets from.")
    .argument("<output-collection>", "CALIBRATION collection to certify them into (created if absent).")
    .argument("<dataset-type-name>", "Dataset type of the calibrations.")
    .option("--begin-date <time>", "Start of the validity range (ISO-8601, TAI); unbounded when absent.")
    .option("--end-date <time>", "End of the validity range (ISO-8601, TAI); unbounded when absent.")
    .option("--search-all-inputs", "Search every child of a CHAINED input, not only the first.")
    .option(
      "--as-of <time>",
      "Take the input's calibrations as they were certified at this record time (ISO-8601, UTC).",
    )
    .action(
      async (
        repo: string,
        input: string,
        output: string,
        datasetType: string,
        options: { beginDate?: string; endDate?: string; searchAllInputs?: boolean; asOf?: string },
      ) => {
        const begin = options.beginDate === undefined ? null : parseTime(options.beginDate, { scale: "tai" });
        const end = options.endDate === undefined ? null : parseTime(options.endDate, { scale: "tai" });
        const validity = Timespan.between(begin, end);
        const asOf = options.asOf === undefined ? undefined : parseTime(options.asOf);
        await withRegistry(repo, true, async (registry) => {
          const info = await registry.collections.getInfo(input);
          const inputs =
            info.type === "CHAINED" && !options.searchAllInputs ? info.children.slice(0, 1) : [input];
          let refs: DatasetRef[];
          if (asOf !== undefined) {
            const history = await Promise.all(
              (await registry.collections.flatten(inputs)).map(async (name) =>
                (await registry.collections.getInfo(name)).type === "CALIBRATION"
                  ? registry.calibrations.history(name, datasetType)
                  : [],
              ),
            );
            const live = history
              .flat()
              .filter((h) => h.certified <= asOf && (h.superseded === null || h.superseded > asOf));
            refs = [...new Map(live.map((h) => [h.ref.id, h.ref])).values()];
          } else {
            refs = await registry.datasets.query(datasetType, { collections: inputs, findFirst: true });
          }
          if (refs.length === 0) {
            throw new DatasetNotFoundError(
              `No ${datasetType} datasets found in ${inputs.map((c) => `"${c}"`).join(", ")}${asOf === undefined ? "" : ` as of ${options.asOf}`}`,
              {
                hint:
                  info.type === "CHAINED" && !options.searchAllInputs
                    ? "Only the chain's first child was searched; pass --search-all-inputs to search all."
                    : undefined,
              },
            );
          }
          await registry.transaction(async () => {
            await registry.collections.register(output, "CALIBRATION");
            await registry.calibrations.certify(output, refs, validity);
          });
          inform(
            context(),
            `Certified ${refs.length} ${datasetType} dataset${refs.length === 1 ? "" : "s"} into "${output}" over ${validity}.`,
          );
        });
      },
    );
};
