import { afterAll, describe } from "vitest";
import { SUITE_FORMATTERS } from "../support/butler-fixtures.ts";
import { registryBackend } from "../support/registry-backends.ts";
import { directTarget, repoRoot } from "./butler/direct-target.ts";
import { describeButlerConformance } from "./butler.ts";

const postgres = registryBackend("postgresql");

if (postgres.unavailable !== undefined) {
  describe.skip(`butler conformance: FileDatastore with a PostgreSQL registry [skipped: ${postgres.unavailable}]`, () => {});
} else {
  afterAll(() => postgres.release());
  describeButlerConformance("FileDatastore on local disk, registry on PostgreSQL", {
    setup: () => directTarget({ formatters: SUITE_FORMATTERS }, repoRoot, { backend: postgres }),
    lacks: {},
  });
}
