// Kill tests of the butler: a child process (crash-worker.ts) puts and removes datasets until it is killed
// with SIGKILL at a random moment; then the repository is checked against the child's journal.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, realpathSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type { Butler } from "../../src/butler/butler.ts";
import { openButler } from "../../src/butler/open-butler.ts";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { seededRandom } from "../../src/util/seeded-random.ts";

/** The dataset type the kill tests write: one small document per detector and RUN. */
export const CRASH_TYPE = "notes";
/** Every RUN the kill tests write is under this prefix. */
export const CRASH_RUNS = "crash/";
/** Detectors of instrument "Cam1" in a crash repository: the data IDs a RUN can hold. */
export const DETECTORS = 2000;

const WORKER = fileURLToPath(new URL("./crash-worker.ts", import.meta.url));

/** The hash of a stored object as the journal records it, compared with what `get` returns. */
export function contentHash(value: unknown): string {
  return createHash("sha256").update(JSON.stringify(value)).digest("hex");
}

/** One dataset of a put, as its intent announces it. */
export interface PlannedDataset {
  readonly detector: number;
  readonly hash: string;
}

/**
 * A line of a worker's journal: an operation announced before it starts ("intent"), then "done" once it
 * returned (for puts, with the IDs of the new datasets in the order of the intent's items).
 */
export type JournalLine =
  | {
      readonly t: "intent";
      readonly seq: number;
      readonly op: "put";
      readonly run: string;
      readonly items: readonly PlannedDataset[];
    }
  | { readonly t: "intent"; readonly seq: number; readonly op: "prune"; readonly ids: readonly string[] }
  | {
      readonly t: "intent";
      readonly seq: number;
      readonly op: "removeRuns";
      readonly runs: readonly string[];
    }
  | { readonly t: "done"; readonly seq: number; readonly ids?: readonly string[] };

type Intent = Extract<JournalLine, { t: "intent" }>;

/**
 * Create a repository for the kill tests: instrument "Cam1" with {@link DETECTORS} detectors and the
 * dataset type {@link CRASH_TYPE} (instrument+detector, StructuredDataDict).
 */
export async function createCrashRepository(repo: string): Promise<void> {
  const registry = await createRepository(repo);
  try {
    await registry.dimensions.insert("instrument", [{ name: "Cam1", detector_max: DETECTORS }]);
    await registry.dimensions.insert(
      "detector",
      Array.from({ length: DETECTORS }, (_, id) => ({ instrument: "Cam1", id, full_name: `D${id}` })),
    );
    await registry.datasetTypes.register(
      DatasetType.make(registry.universe, {
        name: CRASH_TYPE,
        dimensions: ["instrument", "detector"],
        storageClass: "StructuredDataDict",
      }),
    );
  } finally {
    await registry.close();
  }
}

/** What one kill did and what the check after it found. */
export interface KillReport {
  readonly session: string;
  /** Milliseconds between the worker's "ready" and the SIGKILL. */
  readonly delayMs: number;
  /** Operations the worker completed before it was killed. */
  readonly completed: number;
  /** The operation in flight at the kill, if any. */
  readonly inFlight: Intent["op"] | null;
  /** Artifacts without records (all left by interrupted puts) and temporary files in the repository now. */
  readonly orphans: number;
  readonly temporaries: number;
  /** Every inconsistency found, in words; empty when the repository survived. */
  readonly problems: readonly string[];
}

/** Options of {@link crashHarness}. */
export interface CrashHarnessOptions {
  /** Seeds the workers' operations and the kill delays. */
  readonly seed: number;
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** Kills workers on one repository, one after another, and checks the repository after each kill. */
export interface CrashHarness {
  /** Start a worker, kill it after a random delay, then check the repository. */
  kill(): Promise<KillReport>;
}

/** A dataset the journals say must be in the repository. */
interface LiveDataset {
  readonly run: string;
  readonly hash: string;
}

/**
 * A harness on a crash repository (see {@link createCrashRepository}); journals go to `journalDir`.
 * Crashes accumulate: each kill's check starts from what the earlier ones left behind.
 */
export function crashHarness(repo: string, journalDir: string, options: CrashHarnessOptions): CrashHarness {
  const root = realpathSync(repo);
  mkdirSync(journalDir, { recursive: true });
  const random = seededRandom(options.seed);
  const minDelay = options.minDelayMs ?? 50;
  const maxDelay = options.maxDelayMs ?? 400;
  // Node's compile cache: a worker then starts in a third of the time (the sources are the same each time).
  const compileCache = join(journalDir, "compile-cache");
  const live = new Map<string, LiveDataset>();
  const removed = new Set<string>();
  // Orphan artifacts already traced to an interrupted put.
  const explained = new Set<string>();
  let kills = 0;

  async function kill(): Promise<KillReport> {
    kills += 1;
    const session = `k${kills}`;
    const journal = join(journalDir, `${session}.jsonl`);
    const delayMs = Math.round(minDelay + random() * (maxDelay - minDelay));
    const seed = Math.floor(random() * 2 ** 31);
    const problems: string[] = [];
    const exit = await runAndKill([root, journal, String(seed), session], delayMs, compileCache);
    if (exit !== null) problems.push(`worker ${session} ended before the kill: ${exit}`);
    const { completed, inFlight } = replay(readJournal(journal));
    // Read-only first: the state the crash left, before anything writes to the repository again.
    const reader = await openButler(root);
    let leftovers: { orphans: number; temporaries: number };
    try {
      leftovers = await checkRepository(reader, inFlight, problems);
    } finally {
      await reader.close();
    }
    await checkStillWorks(session, problems);
    return { session, delayMs, completed, inFlight: inFlight?.op ?? null, ...leftovers, problems };
  }

  /** Apply the completed operations of a journal to the model; the unfinished one is returned. */
  function replay(lines: readonly JournalLine[]): { completed: number; inFlight: Intent | null } {
    let pending: Intent | null = null;
    let completed = 0;
    for (const line of lines) {
      if (line.t === "intent") {
        pending = line;
        continue;
      }
      if (pending === null || pending.seq !== line.seq) continue;
      completed += 1;
      if (pending.op === "put") {
        const { run, items } = pending;
        for (const [i, id] of (line.ids ?? []).entries()) {
          live.set(id, { run, hash: (items[i] as PlannedDataset).hash });
        }
      } else if (pending.op === "prune") {
        for (const id of pending.ids) forget(id);
      } else {
        const runs = new Set(pending.runs);
        for (const [id, dataset] of live) if (runs.has(dataset.run)) forget(id);
      }
      pending = null;
    }
    return { completed, inFlight: pending };
  }

  function forget(id: string): void {
    live.delete(id);
    removed.add(id);
  }

  async function checkRepository(
    butler: Butler,
    inFlight: Intent | null,
    problems: string[],
  ): Promise<{ orphans: number; temporaries: number }> {
    const report = await butler.check();
    for (const record of report.missing) {
      problems.push(`dataset ${record.datasetId} is recorded at "${record.path}", which is missing`);
    }
    for (const record of report.sizeMismatch) {
      problems.push(`dataset ${record.datasetId}: "${record.path}" is not ${record.fileSize} bytes`);
    }
    const written = inFlight === null ? [] : await settle(butler, inFlight, problems);
    // An interrupted put leaves its artifacts when its transaction did not commit; an interrupted removal
    // must leave none (files go before their records, so the trash is retried): nothing would delete them.
    const orphans = new Set(report.orphans.map((uri) => relative(root, uri.path)));
    for (const path of explained) if (!orphans.has(path)) explained.delete(path);
    for (const path of orphans) {
      if (explained.has(path)) continue;
      if (written.includes(path)) explained.add(path);
      else
        problems.push(`orphan artifact "${path}" is not from an interrupted put (${inFlight?.op ?? "none"})`);
    }
    await compareContents(butler, problems);
    return { orphans: report.orphans.length, temporaries: report.temporaries.length };
  }

  /**
   * Learn what the interrupted operation did (all of it or nothing: each is one transaction, or one per
   * RUN for removeRuns); returns the artifacts an interrupted put may have left.
   */
  async function settle(butler: Butler, intent: Intent, problems: string[]): Promise<string[]> {
    if (intent.op === "put") {
      const paths: string[] = [];
      let stored = 0;
      for (const { detector, hash } of intent.items) {
        const dataId = { instrument: "Cam1", detector };
        const search = { collections: [intent.run] };
        const ref = await butler.findDataset(CRASH_TYPE, dataId, search);
        if (ref !== null) {
          stored += 1;
          live.set(ref.id, { run: intent.run, hash });
        } else {
          const uri = await butler.getURI(CRASH_TYPE, dataId, { ...search, predict: true, run: intent.run });
          paths.push(relative(root, uri.withoutFragment().path));
        }
      }
      if (stored !== 0 && stored !== intent.items.length) {
        problems.push(`interrupted put #${intent.seq} stored ${stored} of ${intent.items.length} datasets`);
      }
      return paths;
    }
    if (intent.op === "prune") {
      const targets = intent.ids.filter((id) => live.has(id));
      const gone: string[] = [];
      for (const id of targets) if ((await butler.registry.datasets.get(id)) === null) gone.push(id);
      for (const id of gone) forget(id);
      if (gone.length !== 0 && gone.length !== targets.length) {
        problems.push(
          `interrupted prune #${intent.seq} removed ${gone.length} of ${targets.length} datasets`,
        );
      }
      return [];
    }
    const remaining = new Set(await butler.registry.collections.query([`${CRASH_RUNS}*`]));
    for (const [id, dataset] of live) {
      if (intent.runs.includes(dataset.run) && !remaining.has(dataset.run)) forget(id);
    }
    return [];
  }

  /** Every dataset the journals promise is there with its content; no other one is. */
  async function compareContents(butler: Butler, problems: string[]): Promise<void> {
    const runs = await butler.registry.collections.query([`${CRASH_RUNS}*`], { types: ["RUN"] });
    const refs =
      runs.length === 0 ? [] : await butler.registry.datasets.query(CRASH_TYPE, { collections: runs });
    const stored = new Set<string>();
    for (const ref of refs) {
      stored.add(ref.id);
      const expected = live.get(ref.id);
      if (expected === undefined) {
        const why = removed.has(ref.id) ? "its removal completed" : "no put of it completed";
        problems.push(`dataset ${ref} is in the registry, but ${why}`);
        continue;
      }
      try {
        if (contentHash(await butler.get(ref)) !== expected.hash) {
          problems.push(`dataset ${ref} does not read back as written`);
        }
      } catch (error) {
        problems.push(`dataset ${ref} cannot be read: ${(error as Error).message}`);
      }
    }
    for (const [id, dataset] of live) {
      if (!stored.has(id)) problems.push(`dataset ${id} of RUN "${dataset.run}" was lost`);
    }
  }

  /** A new put and get succeed after the crash (stale WAL and locks recovered). */
  async function checkStillWorks(session: string, problems: string[]): Promise<void> {
    const run = `${CRASH_RUNS}verify/${session}`;
    const object = { verify: session };
    try {
      const butler = await openButler(root, { run });
      try {
        const ref = await butler.put(object, CRASH_TYPE, { instrument: "Cam1", detector: 0 });
        live.set(ref.id, { run, hash: contentHash(object) });
        if (contentHash(await butler.get(ref)) !== contentHash(object)) {
          problems.push(`a put after the crash does not read back as written (${ref})`);
        }
      } finally {
        await butler.close();
      }
    } catch (error) {
      problems.push(`a put and get after the crash failed: ${(error as Error).message}`);
    }
  }

  return { kill };
}

/** The complete lines of a journal (a line cut by the kill is not part of it). */
function readJournal(path: string): JournalLine[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  return text
    .split("\n")
    .slice(0, -1)
    .map((line) => JSON.parse(line) as JournalLine);
}

/**
 * Start a worker, SIGKILL it `delayMs` after it says "ready" and wait for it to be gone. Resolves to null
 * when it was killed, or to how it ended when it ended by itself.
 */
function runAndKill(args: readonly string[], delayMs: number, compileCache: string): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WORKER, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, NODE_COMPILE_CACHE: compileCache },
    });
    let stderr = "";
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    child.stderr.on("data", (chunk) => {
      stderr += String(chunk);
    });
    child.stdout.on("data", (chunk) => {
      if (timer === undefined && String(chunk).includes("ready")) {
        timer = setTimeout(() => {
          killed = child.kill("SIGKILL");
        }, delayMs);
      }
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve(killed && signal === "SIGKILL" ? null : `code ${code}, signal ${signal}: ${stderr.trim()}`);
    });
  });
}
