// A child process of the kill tests (crash-harness.ts): puts, putMany, prunes and removes RUNs in a crash
// repository forever, journaling each operation before it starts and after it returns, until it is killed.
// Arguments: repository root, journal file, seed, session name (unique per process).
import { fsyncSync, openSync, writeSync } from "node:fs";
import { flushCompileCache } from "node:module";
import { openButler } from "../../src/butler/open-butler.ts";
import type { DatasetRef } from "../../src/datasets/dataset-ref.ts";
import { seededRandom } from "../../src/util/seeded-random.ts";
import { CRASH_RUNS, CRASH_TYPE, contentHash, DETECTORS, type JournalLine } from "./crash-harness.ts";

const [root, journalPath, seed, session] = process.argv.slice(2) as [string, string, string, string];
const random = seededRandom(Number(seed));
const LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789 ";
const butler = await openButler(root, { writeable: true });
const journal = openSync(journalPath, "a");

// What is in the repository: RUNs with the detectors they hold, and the datasets.
const runs = new Map<string, Set<number>>();
let datasets: DatasetRef[] = [];
// Data IDs this worker pruned: putting there again meets what the removal left behind.
const freed: { run: string; detector: number }[] = [];
let newRuns = 0;
let seq = 0;

for (const run of await butler.registry.collections.query([`${CRASH_RUNS}*`], { types: ["RUN"] })) {
  runs.set(run, new Set());
}
if (runs.size > 0) {
  datasets = await butler.registry.datasets.query(CRASH_TYPE, { collections: [...runs.keys()] });
  for (const ref of datasets) runs.get(ref.run)?.add(Number(ref.dataId.get("detector")));
}

/** Append a line and flush it to disk: the harness trusts what the journal says. */
function append(line: JournalLine): void {
  writeSync(journal, `${JSON.stringify(line)}\n`);
  fsyncSync(journal);
}

function below(n: number): number {
  return Math.floor(random() * n);
}

function pick<T>(items: readonly T[]): T {
  return items[below(items.length)] as T;
}

function text(length: number): string {
  return Array.from({ length }, () => LETTERS[below(LETTERS.length)]).join("");
}

/** A RUN to put to: mostly one of this session's, sometimes an older one, sometimes a new one. */
async function targetRun(): Promise<string> {
  const own = [...runs.keys()].filter((run) => run.startsWith(`${CRASH_RUNS}${session}/`));
  if (own.length === 0 || random() < 0.1) {
    newRuns += 1;
    const run = `${CRASH_RUNS}${session}/${newRuns}`;
    await butler.registry.collections.register(run, "RUN");
    runs.set(run, new Set());
    return run;
  }
  return random() < 0.8 ? pick(own) : pick([...runs.keys()]);
}

/** Up to `count` detectors the RUN does not hold yet, now taken. */
function takeDetectors(run: string, count: number): number[] {
  const used = runs.get(run) as Set<number>;
  const chosen: number[] = [];
  while (chosen.length < count && used.size < DETECTORS) {
    const detector = below(DETECTORS);
    if (!used.has(detector)) {
      used.add(detector);
      chosen.push(detector);
    }
  }
  return chosen;
}

/** One put, or a putMany of 2 to 12; a single put goes to a data ID pruned before half the time. */
async function put(many: boolean): Promise<void> {
  let run: string;
  let detectors: number[];
  // A freed slot may have been taken again by takeDetectors since: only reuse one that is still free.
  const again = freed.findIndex((slot) => runs.get(slot.run)?.has(slot.detector) === false);
  if (!many && again >= 0 && random() < 0.5) {
    const [slot] = freed.splice(again, 1) as [{ run: string; detector: number }];
    run = slot.run;
    detectors = [slot.detector];
    runs.get(run)?.add(slot.detector);
  } else {
    run = await targetRun();
    detectors = takeDetectors(run, many ? 2 + below(11) : 1);
  }
  const objects = detectors.map((detector) => ({ session, seq, detector, text: text(below(3000)) }));
  const items = objects.map((object) => ({ detector: object.detector, hash: contentHash(object) }));
  const dataId = (detector: number) => ({ instrument: "Cam1", detector });
  append({ t: "intent", seq, op: "put", run, items });
  const refs = many
    ? await butler.putMany(
        objects.map((object) => ({ object, datasetType: CRASH_TYPE, dataId: dataId(object.detector) })),
        { run },
      )
    : [await butler.put(objects[0], CRASH_TYPE, dataId(detectors[0] as number), { run })];
  append({ t: "done", seq, ids: refs.map((r) => r.id) });
  datasets.push(...refs);
}

/** Purge 1 to 16 datasets (of any session). */
async function prune(): Promise<void> {
  const chosen = new Set(Array.from({ length: 1 + below(16) }, () => pick(datasets)));
  const refs = [...chosen];
  append({ t: "intent", seq, op: "prune", ids: refs.map((r) => r.id) });
  await butler.pruneDatasets(refs, { purge: true });
  append({ t: "done", seq });
  datasets = datasets.filter((ref) => !chosen.has(ref));
  for (const ref of refs) {
    const detector = Number(ref.dataId.get("detector"));
    runs.get(ref.run)?.delete(detector);
    freed.push({ run: ref.run, detector });
  }
}

/** Remove one or two RUNs (of any session) with their datasets. */
async function removeRuns(): Promise<void> {
  const names = [...new Set([pick([...runs.keys()]), pick([...runs.keys()])])];
  append({ t: "intent", seq, op: "removeRuns", runs: names });
  await butler.removeRuns(names);
  append({ t: "done", seq });
  for (const name of names) runs.delete(name);
  datasets = datasets.filter((ref) => runs.has(ref.run));
}

// A killed worker never writes the compile cache at exit: write it now, so the next worker starts faster.
flushCompileCache();
process.stdout.write("ready\n");
for (;;) {
  seq += 1;
  const choice = random();
  if (choice < 0.3) await put(false);
  else if (choice < 0.6) await put(true);
  else if (datasets.length > 0 && choice < 0.85) await prune();
  else if (runs.size > 0) await removeRuns();
}
