import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

/** The Parquet and Arrow packages a module loads when imported, seen by a resolve hook in a fresh Node. */
function heavyImportsOf(module: string): string[] {
  const script = `
import { registerHooks } from "node:module";
const seen = [];
registerHooks({ resolve(specifier, context, next) { seen.push(specifier); return next(specifier, context); } });
await import(${JSON.stringify(module)});
console.log(JSON.stringify(seen.filter((s) => /^(apache-arrow|hyparquet)/.test(s))));`;
  const result = spawnSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

it("importing butler-ts loads neither apache-arrow nor hyparquet (they load on first Parquet use)", () => {
  expect(heavyImportsOf(fileURLToPath(new URL("../../../index.ts", import.meta.url)))).toEqual([]);
  expect(heavyImportsOf("apache-arrow")).toEqual(["apache-arrow"]);
});
