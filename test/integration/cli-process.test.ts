import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../support/shared-fixtures.ts";

const BIN = join(REPO_ROOT, "bin", "butler.js");

function butler(...args: string[]) {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
}

describe("the butler executable", () => {
  it("runs from the source tree and exits 0 for --version", () => {
    const result = butler("--version");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^butler-ts \d+\.\d+\.\d+\n$/);
  });

  it("exits 1 with error and hint lines and no stack trace for bad usage", () => {
    const result = butler("--no-such-option");
    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      "error: unknown option '--no-such-option'\nhint: Run \"butler --help\" for usage.\n",
    );
    expect(result.stdout).toBe("");
  });
});
