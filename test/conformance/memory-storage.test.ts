import { createMemoryBackend } from "../../src/datastore/storage/memory-backend.ts";
import { ResourceUri } from "../../src/datastore/storage/resource-uri.ts";
import { describeStorageBackendConformance } from "./storage-backend.ts";

describeStorageBackendConformance("memory", async () => ({
  backend: createMemoryBackend(),
  root: ResourceUri.parse("mem://conformance/root/"),
  cleanup: async () => {},
}));
