import { existsSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { tempDir } from "../../test/support/temp-repo.ts";
import { DatabaseError } from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import { createRepository } from "../repository/create-repository.ts";
import { withUndo } from "./write-datasets.ts";

let dir: { path: string; cleanup: () => void };
let registry: Registry;

beforeEach(async () => {
  dir = tempDir("with-undo-");
  registry = await createRepository(join(dir.path, "repo"));
});
afterEach(async () => {
  await registry.close();
  dir.cleanup();
});

/** What SQLite raises when another connection holds the lock: the registry retries the transaction. */
function lostToAnotherWriter(): DatabaseError {
  return new DatabaseError("database is locked", "busy", {
    cause: Object.assign(new Error("locked"), { errcode: 5 }),
  });
}

it("withUndo() deletes what a transaction attempt wrote before the registry runs it again", async () => {
  let attempt = 0;
  const written: string[] = [];
  const result = await withUndo(registry, async (undo) => {
    attempt += 1;
    const file = join(dir.path, `artifact-${attempt}`);
    writeFileSync(file, "x");
    written.push(file);
    undo.add(async () => rmSync(file));
    if (attempt === 1) throw lostToAnotherWriter();
    return attempt;
  });
  expect(result).toBe(2);
  expect(written.map((file) => existsSync(file))).toEqual([false, true]);
});

it("withUndo() deletes what the last attempt wrote when the transaction fails for good", async () => {
  const file = join(dir.path, "artifact");
  await expect(
    withUndo(registry, async (undo) => {
      writeFileSync(file, "x");
      undo.add(async () => rmSync(file));
      throw new Error("the datastore refused");
    }),
  ).rejects.toThrow("the datastore refused");
  expect(existsSync(file)).toBe(false);
});
