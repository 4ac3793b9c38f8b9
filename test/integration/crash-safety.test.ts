import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CrashHarness, crashHarness, createCrashRepository } from "../support/crash-harness.ts";
import { tempDir } from "../support/temp-repo.ts";

const ROUNDS = 5;
const KILLS_PER_ROUND = 11;

// A worker process puts, prunes and removes RUNs until it is killed with SIGKILL at a random moment; after
// each kill the harness checks the repository against the worker's journal (see crash-harness.ts). The
// crashes accumulate on one repository; `npm run stress` does the same with many more kills.
describe("a butler killed with SIGKILL while it puts and removes datasets", () => {
  let dir: { path: string; cleanup: () => void };
  let harness: CrashHarness;

  beforeAll(async () => {
    dir = tempDir("butler-crash-");
    const repo = join(dir.path, "repo");
    await createCrashRepository(repo);
    harness = crashHarness(repo, join(dir.path, "journals"), { seed: 20_261_125 });
  });

  afterAll(() => dir.cleanup());

  for (let round = 1; round <= ROUNDS; round++) {
    it(`loses nothing stored and stays consistent and writable (round ${round}, ${KILLS_PER_ROUND} kills)`, async () => {
      let operations = 0;
      for (let kill = 0; kill < KILLS_PER_ROUND; kill++) {
        const report = await harness.kill();
        expect(
          report.problems,
          `${report.session}, killed during ${report.inFlight ?? "no operation"}`,
        ).toEqual([]);
        operations += report.completed + (report.inFlight === null ? 0 : 1);
      }
      // The kills must land on work, not only on workers starting up.
      expect(operations).toBeGreaterThan(0);
    }, 60_000);
  }
});
