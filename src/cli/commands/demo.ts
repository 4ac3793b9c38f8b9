import { type Command, InvalidArgumentError } from "commander";
import { inform, type RegisterCommand } from "../command-kit.ts";
import { progressBar } from "../progress.ts";

function positiveInteger(name: string, max: number): (text: string) => number {
  return (text) => {
    const value = Number(text);
    if (!Number.isSafeInteger(value) || value < 1 || value > max) {
      throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}; got "${text}".`);
    }
    return value;
  };
}

/** Commands worth trying on a new demo repository, with its path in them. */
export function demoCommands(repo: string): string[] {
  const dataId = "--data-id instrument=DemoCam,visit=3,detector=1";
  return [
    `npx butler query-collections ${repo}`,
    `npx butler query-datasets ${repo} calexp --collections DemoCam/defaults --where "instrument = 'DemoCam' AND visit = 3"`,
    `npx butler query-data-ids ${repo} visit detector --where "instrument = 'DemoCam' AND day_obs = 20260311"`,
    `npx butler query-datasets ${repo} calexp --collections DemoCam/defaults --where "instrument = 'DemoCam' AND visit_detector_region.region OVERLAPS CIRCLE(150.11, 2.21, 0.002)"`,
    `npx butler get ${repo} calexp ${dataId} --collections DemoCam/defaults --parameter bbox=50,50,149,149 --output cutout.fits`,
    `npx butler get ${repo} calexp.metadata ${dataId} --collections DemoCam/defaults --format yaml`,
    `npx butler get ${repo} sourceTable_visit --data-id instrument=DemoCam,visit=3 --collections DemoCam/defaults --parameter 'columns=["ra","dec","psfFlux"]'`,
    `npx butler query-calibration-history ${repo} DemoCam/calib`,
    `npx butler fsck ${repo}`,
  ];
}

/**
 * `butler demo REPO` (butler-ts's verb): build a sample repository with FITS images, Parquet tables and
 * certified calibrations, then print commands to try on it.
 */
export const registerDemo: RegisterCommand = (program: Command, context) => {
  program
    .command("demo")
    .summary("Build a sample repository to explore.")
    .description(
      "Build a sample repository at REPO (butler-ts's verb): DemoCam, a synthetic 2x2-detector instrument; raws and calexps (FITS, with WCS, mask and variance) for each visit and detector; a Parquet source table per visit; biases and flats certified in DemoCam/calib (the biases recertified, so there is history); one RUN per processing step, chained under DemoCam/defaults. Then print commands to try.",
    )
    .argument("<repo>", "Directory of the new repository (must not hold one yet).")
    .option("--visits <count>", "Number of visits.", positiveInteger("--visits", 1000), 20)
    .option(
      "--size <pixels>",
      "Width and height of each detector image.",
      positiveInteger("--size", 4096),
      200,
    )
    .option(
      "--seed <number>",
      "Seed of the simulation (same seed, same pixels).",
      positiveInteger("--seed", 2 ** 31),
      1,
    )
    .action(async (repo: string, options: { visits: number; size: number; seed: number }) => {
      const ctx = context();
      const { buildDemoRepository } = await import("../../demo/build-demo-repository.ts");
      const bar = progressBar(ctx, "Writing datasets");
      const summary = await buildDemoRepository(repo, {
        ...options,
        onProgress: (done, total) => bar.update(done, total),
      });
      bar.finish();
      inform(
        ctx,
        `Made ${repo}: DemoCam, ${summary.visits} visits x ${summary.detectors} detectors, ${summary.datasets} datasets.\n\nTry:\n${demoCommands(
          repo,
        )
          .map((line) => `  ${line}`)
          .join("\n")}`,
      );
    });
};
