import { ResourceUri } from "../../src/datastore/storage/resource-uri.ts";
import { SUITE_FORMATTERS } from "../support/butler-fixtures.ts";
import { directTarget } from "./butler/direct-target.ts";
import { describeButlerConformance } from "./butler.ts";

let repos = 0;

describeButlerConformance("FileDatastore on mem:// storage", {
  setup: () => {
    repos += 1;
    const root = `mem://suite-${repos}/`;
    return directTarget({ root, formatters: SUITE_FORMATTERS }, () => ResourceUri.parse(root));
  },
  lacks: { links: "mem:// storage holds bytes, not files: it cannot hard or symbolic link" },
});
