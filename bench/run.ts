// Run every benchmark under bench/ (files named *.bench.ts, each exporting `comparisons`) and print each
// butler-ts figure beside its raw floor. `npm run bench -- dimensions` runs only files whose name matches.
import { readdirSync } from "node:fs";
import { type Comparison, formatResults, runComparisons } from "./harness.ts";

const filter = process.argv[2];
const directory = new URL(".", import.meta.url);
const files = readdirSync(directory)
  .filter((name) => name.endsWith(".bench.ts") && (filter === undefined || name.includes(filter)))
  .sort();
const timeMs = Number(process.env.BENCH_TIME_MS ?? 1000);

console.log(`butler-ts benchmarks on Node ${process.version}, ${timeMs} ms per side\n`);
for (const file of files) {
  const module = (await import(new URL(file, directory).href)) as {
    comparisons: () => Promise<Comparison[]> | Comparison[];
    /** Release what the file's comparisons started (a database server), after they ran. */
    cleanup?: () => Promise<void>;
  };
  try {
    const results = await runComparisons(await module.comparisons(), timeMs);
    console.log(`${file}\n${formatResults(results)}\n`);
  } finally {
    await module.cleanup?.();
  }
}
