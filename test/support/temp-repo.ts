import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixturePath } from "./shared-fixtures.ts";

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = "butler-test-"): { path: string; cleanup: () => void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** A writable copy of the daf_butler-made repository `repos/small` (fixtures are read-only). */
export function copySmallRepo(): { path: string; cleanup: () => void } {
  const dir = tempDir("butler-small-");
  const path = join(dir.path, "small");
  cpSync(fixturePath("repos", "small"), path, { recursive: true });
  return { path, cleanup: dir.cleanup };
}
