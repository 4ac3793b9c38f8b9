import { Bench } from "tinybench";

/** One side of a comparison: a name and the work, run once per call. */
export interface Workload {
  readonly name: string;
  readonly run: () => unknown;
}

/** A butler-ts figure beside the raw floor of the same work (a raw SQL statement, a raw parse, ...). */
export interface Comparison {
  readonly figure: string;
  readonly butler: Workload;
  readonly floor: Workload;
  /** Items each call handles (rows, datasets); figures are reported per item. Default 1. */
  readonly itemsPerCall?: number;
}

/** Measured result of one comparison, per item. */
export interface ComparisonResult {
  readonly figure: string;
  readonly butlerMicros: number;
  readonly floorMicros: number;
  readonly floorName: string;
  /** butler time ÷ floor time: 1 means as fast as the floor. */
  readonly ratio: number;
}

async function meanMillis(workload: Workload, timeMs: number): Promise<number> {
  const bench = new Bench({ time: timeMs, warmupTime: Math.min(200, timeMs / 2) });
  bench.add(workload.name, workload.run);
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (!result || !("latency" in result)) throw new Error(`benchmark ${workload.name} did not complete`);
  return result.latency.mean;
}

/** Run each comparison (butler side and floor side alternately) and return the figures. */
export async function runComparisons(
  comparisons: readonly Comparison[],
  timeMs = 1000,
): Promise<ComparisonResult[]> {
  const results: ComparisonResult[] = [];
  for (const comparison of comparisons) {
    const items = comparison.itemsPerCall ?? 1;
    const butler = (await meanMillis(comparison.butler, timeMs)) / items;
    const floor = (await meanMillis(comparison.floor, timeMs)) / items;
    results.push({
      figure: comparison.figure,
      butlerMicros: butler * 1000,
      floorMicros: floor * 1000,
      floorName: comparison.floor.name,
      ratio: butler / floor,
    });
  }
  return results;
}

/** A plain-text table of results: figure, butler µs, floor µs, ratio, and what the floor is. */
export function formatResults(results: readonly ComparisonResult[]): string {
  const rows = [
    ["figure", "butler µs/item", "floor µs/item", "butler÷floor", "floor"],
    ...results.map((r) => [
      r.figure,
      r.butlerMicros.toFixed(2),
      r.floorMicros.toFixed(2),
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
