import type { Command } from "commander";
import { formatTime } from "../../time/format-time.ts";
import { parseTime } from "../../time/parse-time.ts";
import { formatOption, printTable, type RegisterCommand, withRegistry } from "../command-kit.ts";
import type { Cell, OutputFormat } from "../output-table.ts";

/** `butler query-calibration-history REPO COLLECTION [DATASET_TYPE]` (butler-ts's own verb). */
export const registerQueryCalibrationHistory: RegisterCommand = (program: Command, context) => {
  program
    .command("query-calibration-history")
    .description(
      "List every validity range a CALIBRATION collection has had, with when each was certified and superseded.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument("<collection>", "CALIBRATION collection.")
    .argument("[dataset-type]", "Only this dataset type.")
    .option("--as-of <time>", "Only the certifications that were live at this record time (ISO-8601, UTC).")
    .addOption(formatOption())
    .action(
      async (
        repo: string,
        collection: string,
        datasetType: string | undefined,
        options: { asOf?: string; format: OutputFormat },
      ) => {
        const asOf = options.asOf === undefined ? undefined : parseTime(options.asOf);
        await withRegistry(repo, false, async (registry) => {
          let entries = await registry.calibrations.history(collection, datasetType);
          if (asOf !== undefined)
            entries = entries.filter(
              (e) => e.certified <= asOf && (e.superseded === null || e.superseded > asOf),
            );
          const dimensions = [...new Set(entries.flatMap((e) => e.ref.datasetType.dimensions.required))];
          const time = (ns: bigint | null) =>
            ns === null ? null : formatTime(ns, { scale: "utc", precision: 3 });
          const rows: Cell[][] = entries.map((e) => [
            e.ref.datasetType.name,
            e.ref.id,
            ...dimensions.map((d) =>
              e.ref.dataId.dimensions.hasDimension(d) ? (e.ref.dataId.get(d) ?? null) : null,
            ),
            String(e.validity),
            time(e.certified),
            time(e.superseded),
          ]);
          printTable(
            context(),
            {
              columns: ["type", "id", ...dimensions, "validity (TAI)", "certified (UTC)", "superseded (UTC)"],
              rows,
            },
            options.format,
          );
        });
      },
    );
};
