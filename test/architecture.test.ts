import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/shared-fixtures.ts";

/**
 * Which parts of src/ each part may import (STYLE.md: dependencies point one way). Parts not listed here
 * yet get a rule when they are created.
 */
/** The datasets model and what it stands on. */
const MODEL = ["datasets", "dimensions", "sphgeom", "time", "config", "util", "errors"];
/** The in-memory types of stored data (images, tables, arrays), which only the datastore and above use. */
const DATA_TYPES = ["images", "tables", "arrays"];
/** Everything a butler is made of. */
const BUTLER_PARTS = ["repository", "datastore", "registry", "query", "transfers", ...DATA_TYPES, ...MODEL];

const ALLOWED: Record<string, readonly string[]> = {
  util: [],
  errors: [],
  config: ["util", "errors"],
  time: ["util", "errors"],
  sphgeom: ["util", "errors"],
  arrays: ["util", "errors"],
  images: ["arrays", "util", "errors"],
  tables: ["arrays", "util", "errors"],
  dimensions: ["sphgeom", "time", "config", "util", "errors"],
  datasets: ["dimensions", "sphgeom", "time", "util", "errors"],
  query: ["datasets", "dimensions", "sphgeom", "time", "util", "errors"],
  registry: ["query", ...MODEL],
  transfers: MODEL,
  datastore: [...DATA_TYPES, ...MODEL],
  repository: BUTLER_PARTS.filter((part) => part !== "repository"),
  butler: BUTLER_PARTS,
  demo: ["butler", ...BUTLER_PARTS],
  cli: ["demo", "butler", ...BUTLER_PARTS],
  index: ["demo", "butler", ...BUTLER_PARTS],
};

const SRC = join(REPO_ROOT, "src");

function partOf(file: string): string {
  const first = relative(SRC, file).split("/")[0] as string;
  return first.replace(/\.ts$/, "");
}

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

describe("architecture", () => {
  it("keeps imports pointing one way between the parts of src/", () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const part = partOf(file);
      const allowed = ALLOWED[part];
      expect(
        allowed,
        `no dependency rule for src/${part}; add one to test/architecture.test.ts`,
      ).toBeDefined();
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(/^(?:import|export)[^;]*?from\s+"(\.[^"]+)"/gms)) {
        const target = partOf(join(file, "..", match[1] as string));
        if (target !== part && !allowed?.includes(target))
          violations.push(`${relative(REPO_ROOT, file)} -> ${match[1]}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("lets no library module print or exit", () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => partOf(file) !== "cli")
      .filter((file) => /console\.|process\.exit|process\.std(out|err)/.test(readFileSync(file, "utf8")))
      .map((file) => relative(REPO_ROOT, file));
    expect(offenders).toEqual([]);
  });
});
