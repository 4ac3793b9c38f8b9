import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRepository } from "../../src/repository/create-repository.ts";
import { describeWithFixtures, fixturePath } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

function read(path: string, sql: string): Record<string, unknown>[] {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

describeWithFixtures("a repository made by butler-ts", () => {
  let dir: { path: string; cleanup: () => void };
  let ours: string;
  const theirs = fixturePath("repos", "small", "gen3.sqlite3");

  beforeAll(async () => {
    dir = tempDir();
    await (await createRepository(join(dir.path, "repo"))).close();
    ours = join(dir.path, "repo", "gen3.sqlite3");
  });

  afterAll(() => dir.cleanup());

  it("has daf_butler's tables, byte for byte (before any dataset type adds its own)", () => {
    const tables = (path: string) =>
      new Map(
        read(path, "SELECT name, sql FROM sqlite_master WHERE type = 'table'").map((r) => [
          String(r.name),
          String(r.sql),
        ]),
      );
    const mine = tables(ours);
    const daf = tables(theirs);
    const datasetTables = [...daf.keys()].filter(
      (name) => name.startsWith("dataset_tags_") || name.startsWith("dataset_calibs_"),
    );
    expect([...mine.keys()].sort()).toEqual([...daf.keys()].filter((n) => !datasetTables.includes(n)).sort());
    for (const [name, sql] of mine) expect(sql, name).toBe(daf.get(name));
  });

  it("records the same managers, versions and universe as daf_butler", () => {
    const attributes = (path: string) =>
      read(path, "SELECT name, value FROM butler_attributes ORDER BY name");
    expect(attributes(ours)).toEqual(attributes(theirs));
  });

  it("writes daf_butler's butler.yaml", () => {
    expect(readFileSync(join(dir.path, "repo", "butler.yaml"), "utf8")).toBe(
      readFileSync(fixturePath("repos", "small", "butler.yaml"), "utf8"),
    );
  });
});
