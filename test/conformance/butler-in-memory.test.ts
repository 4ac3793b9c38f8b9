import { directTarget } from "./butler/direct-target.ts";
import { describeButlerConformance } from "./butler.ts";

const IN_MEMORY = "lsst.daf.butler.datastores.inMemoryDatastore.InMemoryDatastore";

describeButlerConformance("InMemoryDatastore", {
  setup: () => directTarget({ cls: IN_MEMORY }, () => null),
  lacks: {
    ingest: "an InMemoryDatastore holds objects, not files: daf_butler's cannot ingest either",
    artifacts: "an InMemoryDatastore has no artifacts to read, retrieve, transfer or tamper with",
  },
});
