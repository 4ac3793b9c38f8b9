import { Bench } from "tinybench";

/** One side of a comparison: a name and the work, run once per call. */
export interface Workload {
  readonly name: string;
  readonly run: () => unknown;
  /** Untimed preparation before each call (a fresh run, a fresh repository); calls are then repeated without warm-up. */
  readonly beforeEach?: () => unknown;
}

/** A butler-ts figure beside the raw floor of the same work (a raw SQL statement, a raw parse, ...). */
export interface Comparison {
  readonly figure: string;
  readonly butler: Workload;
  readonly floor: Workload;
  /** Items each call handles (rows, datasets); figures are reported per item. Default 1. */
  readonly itemsPerCall?: number;
  /** Report latency percentiles (p50/p99 per call) rather than the mean per item. */
  readonly latency?: boolean;
  /** Minimum calls per side (for one-shot heavy work, with `timeMs` small). */
  readonly iterations?: number;
  /** Time budget per side in ms (default: the run's). */
  readonly timeMs?: number;
}

/** Measured result of one comparison. */
export interface ComparisonResult {
  readonly figure: string;
  readonly floorName: string;
  /** Mean µs per item (or p50 µs per call for latency figures). */
  readonly butler: number;
  readonly floor: number;
  /** p99 µs per call, for latency figures. */
  readonly butlerP99?: number;
  readonly floorP99?: number;
  readonly itemsPerCall: number;
  readonly latency: boolean;
  /** butler ÷ floor: 1 means as fast as the floor. */
  readonly ratio: number;
}

interface Sample {
  readonly mean: number;
  readonly p50: number;
  readonly p99: number;
}

/** Time `iterations` calls one after another, each after its untimed `beforeEach` (no warm-up). */
async function measureRepeated(workload: Workload, iterations: number): Promise<Sample> {
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    await workload.beforeEach?.();
    const start = performance.now();
    await workload.run();
    times.push((performance.now() - start) * 1000);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { mean: times.reduce((a, b) => a + b, 0) / times.length, p50: at(0.5), p99: at(0.99) };
}

async function measure(workload: Workload, timeMs: number, iterations: number): Promise<Sample> {
  if (workload.beforeEach !== undefined) return measureRepeated(workload, iterations);
  const bench = new Bench({
    time: timeMs,
    iterations,
    warmupTime: Math.min(200, timeMs / 2),
    warmupIterations: Math.min(5, iterations),
  });
  bench.add(workload.name, workload.run);
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (!result || !("latency" in result))
    throw new Error(`benchmark ${workload.name} did not complete: ${JSON.stringify(result)}`);
  return { mean: result.latency.mean * 1000, p50: result.latency.p50 * 1000, p99: result.latency.p99 * 1000 };
}

/** Run each comparison (butler side then floor side) and return the figures. */
export async function runComparisons(
  comparisons: readonly Comparison[],
  timeMs = 1000,
): Promise<ComparisonResult[]> {
  const results: ComparisonResult[] = [];
  for (const comparison of comparisons) {
    const items = comparison.itemsPerCall ?? 1;
    const time = comparison.timeMs ?? timeMs;
    const iterations = comparison.iterations ?? 10;
    const butler = await measure(comparison.butler, time, iterations);
    const floor = await measure(comparison.floor, time, iterations);
    const latency = comparison.latency === true;
    const butlerFigure = latency ? butler.p50 : butler.mean / items;
    const floorFigure = latency ? floor.p50 : floor.mean / items;
    results.push({
      figure: comparison.figure,
      floorName: comparison.floor.name,
      butler: butlerFigure,
      floor: floorFigure,
      ...(latency ? { butlerP99: butler.p99, floorP99: floor.p99 } : {}),
      itemsPerCall: items,
      latency,
      ratio: butlerFigure / floorFigure,
    });
  }
  return results;
}

function describe(micros: number, result: ComparisonResult, p99?: number): string {
  if (result.latency) return `p50 ${micros.toFixed(1)} µs, p99 ${(p99 ?? 0).toFixed(1)} µs`;
  if (result.itemsPerCall > 1)
    return `${Math.round(1e6 / micros).toLocaleString("en-US")}/s (${micros.toFixed(2)} µs each)`;
  return micros >= 10_000 ? `${(micros / 1000).toFixed(1)} ms` : `${micros.toFixed(2)} µs`;
}

/** A plain-text table of results: figure, butler, floor, ratio, and what the floor is. */
export function formatResults(results: readonly ComparisonResult[]): string {
  const rows = [
    ["figure", "butler-ts", "raw floor", "butler÷floor", "floor"],
    ...results.map((r) => [
      r.figure,
      describe(r.butler, r, r.butlerP99),
      describe(r.floor, r, r.floorP99),
      `${r.ratio.toFixed(2)}×`,
      r.floorName,
    ]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? "").length))) ?? [];
  const line = (row: string[]) =>
    row
      .map((cell, i) => (i >= 1 && i <= 3 ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join("  ");
  return [line(rows[0] ?? []), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)].join(
    "\n",
  );
}
