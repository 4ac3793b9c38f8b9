import { SUITE_FORMATTERS } from "../support/butler-fixtures.ts";
import { directTarget, repoRoot } from "./butler/direct-target.ts";
import { describeButlerConformance } from "./butler.ts";

describeButlerConformance("FileDatastore on local disk", {
  setup: () => directTarget({ formatters: SUITE_FORMATTERS }, repoRoot),
  lacks: {},
});
