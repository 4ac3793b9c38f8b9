import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe } from "vitest";

/** The repository's root directory. */
export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/** `../shared` beside the repository (or `$BUTLER_SHARED_DIR`): daf_butler's fixtures and specs. */
export const SHARED_DIR = process.env.BUTLER_SHARED_DIR ?? resolve(REPO_ROOT, "../shared");

const FIXTURES_DIR = join(SHARED_DIR, "fixtures", "daf_butler");

/** Whether daf_butler's fixtures are present. */
export const fixturesAvailable = existsSync(FIXTURES_DIR);

/** Path of a file under `../shared/fixtures/daf_butler`. */
export function fixturePath(...parts: string[]): string {
  return join(FIXTURES_DIR, ...parts);
}

/** A `describe` block that needs the shared fixtures: skipped, saying why, when they are absent. */
export function describeWithFixtures(name: string, body: () => void): void {
  if (fixturesAvailable) describe(name, body);
  else describe.skip(`${name} [skipped: daf_butler fixtures not found at ${FIXTURES_DIR}]`, body);
}
