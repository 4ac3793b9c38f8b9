// Kill tests at length: SIGKILL a worker that puts and removes datasets many times over (default 500) and
// check the repository after each kill (test/support/crash-harness.ts). Not part of `npm test`.
// Usage: npm run stress -- [--kills N] [--jobs J] [--seed S]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { crashHarness, createCrashRepository, type KillReport } from "../test/support/crash-harness.ts";

const { values } = parseArgs({
  options: {
    kills: { type: "string", default: "500" },
    jobs: { type: "string", default: "2" },
    seed: { type: "string", default: "1" },
  },
});
const kills = Number(values.kills);
const jobs = Math.max(1, Math.min(Number(values.jobs), kills));
const seed = Number(values.seed);
const dir = mkdtempSync(join(tmpdir(), "butler-stress-"));
const started = performance.now();
const reports: KillReport[] = [];

/** One repository killed `count` times in a row (crashes accumulate). */
async function job(index: number, count: number): Promise<void> {
  const repo = join(dir, `repo-${index}`);
  await createCrashRepository(repo);
  const harness = crashHarness(repo, join(dir, `journal-${index}`), { seed: seed * 1000 + index });
  for (let i = 0; i < count; i++) {
    const report = await harness.kill();
    reports.push(report);
    for (const problem of report.problems) console.log(`repo-${index} ${report.session}: ${problem}`);
    if (reports.length % 50 === 0) console.log(`${reports.length}/${kills} kills`);
  }
}

await Promise.all(
  Array.from({ length: jobs }, (_, i) => job(i, Math.floor(kills / jobs) + (i < kills % jobs ? 1 : 0))),
);

const seconds = (performance.now() - started) / 1000;
const failed = reports.filter((r) => r.problems.length > 0);
const during = new Map<string, number>();
for (const report of reports) {
  const op = report.inFlight ?? "between operations";
  during.set(op, (during.get(op) ?? 0) + 1);
}
console.log(`\n${reports.length} kills in ${seconds.toFixed(1)} s on ${jobs} repositories (seed ${seed})`);
console.log(`operations completed before the kills: ${reports.reduce((n, r) => n + r.completed, 0)}`);
console.log(`killed during: ${[...during].map(([op, n]) => `${op} ${n}`).join(", ")}`);
if (failed.length === 0) {
  console.log("every check passed");
  rmSync(dir, { recursive: true, force: true });
} else {
  console.log(`${failed.length} kills left problems; repositories and journals kept in ${dir}`);
  process.exitCode = 1;
}
