import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/shared-fixtures.ts";

// npm and the installed `butler` must run on the same Node as the tests (the pinned one), not the system's.
const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ""}` };

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result.stdout;
}

describe("the packed package, installed elsewhere", () => {
  let work: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), "butler-pack-"));
    run("npm", ["pack", "--silent", "--pack-destination", work], REPO_ROOT);
    const tarball = readdirSync(work).find((name) => name.endsWith(".tgz"));
    if (tarball === undefined) throw new Error("npm pack made no tarball");
    writeFileSync(
      join(work, "package.json"),
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join(work, tarball)], work);
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("runs butler --version from compiled JavaScript", () => {
    const listing = readdirSync(join(work, "node_modules", "butler-ts"));
    expect(listing).toContain("dist");
    expect(listing).not.toContain("src");
    expect(run(join(work, "node_modules", ".bin", "butler"), ["--version"], work)).toMatch(
      /^butler-ts \d+\.\d+\.\d+\n$/,
    );
  });

  it("answers a library call", () => {
    const script = [
      'import { defaultUniverse, standardizeDataId, parseTime, Timespan } from "butler-ts";',
      "const u = defaultUniverse();",
      'const id = standardizeDataId(u, { instrument: "HSC", visit: "903334", detector: 16 });',
      "const day = Timespan.fromDayObs(20240229);",
      'console.log(JSON.stringify([u.conform(["visit"]).required, String(id), String(day), String(parseTime("2016-12-31T23:59:60"))]));',
    ].join("\n");
    writeFileSync(join(work, "call.mjs"), script);
    expect(JSON.parse(run(process.execPath, ["call.mjs"], work))).toEqual([
      ["instrument", "visit"],
      "{instrument: 'HSC', detector: 16, visit: 903334}",
      "[2024-02-29T00:00:00, 2024-03-01T00:00:00)",
      "1483228836000000000",
    ]);
  });
});
