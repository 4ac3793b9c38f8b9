import { describe } from "vitest";
import { fixturesAvailable } from "../support/shared-fixtures.ts";
import { describeComponents } from "./butler/components.ts";
import { describeFind } from "./butler/find.ts";
import { describeIngest } from "./butler/ingest.ts";
import { describePutGet } from "./butler/put-get.ts";
import { describeRemoval } from "./butler/removal.ts";
import type { ButlerSuiteConfig } from "./butler/target.ts";
import { describeTransfer } from "./butler/transfer.ts";
import { describeUris } from "./butler/uris.ts";

export type { ButlerAbility, ButlerSuiteConfig, ButlerTarget } from "./butler/target.ts";

/**
 * The butler conformance suite: daf_butler's Butler semantics that every butler configuration (file,
 * memory-storage, in-memory and chained datastores; later the remote butler) must show. Each test makes
 * a fresh repository with `config.setup`; tests needing an ability the configuration lacks are skipped,
 * saying why. Skipped as a whole when daf_butler's fixtures (dimension records) are absent.
 */
export function describeButlerConformance(name: string, config: ButlerSuiteConfig): void {
  if (!fixturesAvailable) {
    describe.skip(`butler conformance: ${name} [skipped: daf_butler fixtures not found]`, () => {});
    return;
  }
  describe(`butler conformance: ${name}`, () => {
    describePutGet(config);
    describeFind(config);
    describeComponents(config);
    describeUris(config);
    describeIngest(config);
    describeRemoval(config);
    describeTransfer(config);
  });
}
