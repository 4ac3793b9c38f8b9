import { SUITE_FORMATTERS } from "../support/butler-fixtures.ts";
import { directTarget, repoRoot } from "./butler/direct-target.ts";
import { describeButlerConformance } from "./butler.ts";

describeButlerConformance("ChainedDatastore (in-memory, then file)", {
  setup: () =>
    directTarget(
      {
        cls: "lsst.daf.butler.datastores.chainedDatastore.ChainedDatastore",
        datastores: [
          { cls: "lsst.daf.butler.datastores.inMemoryDatastore.InMemoryDatastore" },
          {
            cls: "lsst.daf.butler.datastores.fileDatastore.FileDatastore",
            root: "<butlerRoot>",
            formatters: SUITE_FORMATTERS,
          },
        ],
      },
      repoRoot,
    ),
  lacks: { soleCopy: "the in-memory child keeps its own copy when the file is deleted" },
});
