import { createLocalBackend } from "../../src/datastore/storage/local-backend.ts";
import { ResourceUri } from "../../src/datastore/storage/resource-uri.ts";
import { tempDir } from "../support/temp-repo.ts";
import { describeStorageBackendConformance } from "./storage-backend.ts";

// A root whose path needs percent-encoding, so every URI the suite makes does too.
for (const fsync of [false, true]) {
  describeStorageBackendConformance(fsync ? "local (fsync)" : "local", async () => {
    const directory = tempDir("butler storage #%-");
    return {
      backend: createLocalBackend({ fsync }),
      root: ResourceUri.file(directory.path, true),
      cleanup: async () => directory.cleanup(),
    };
  });
}
