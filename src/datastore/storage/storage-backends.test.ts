import { describe, expect, it } from "vitest";
import { StorageError } from "../../errors.ts";
import { createLocalBackend } from "./local-backend.ts";
import { createMemoryBackend } from "./memory-backend.ts";
import { ResourceUri } from "./resource-uri.ts";
import { createStorageBackends } from "./storage-backends.ts";

describe("createStorageBackends()", () => {
  const local = createLocalBackend();
  const memory = createMemoryBackend();
  const backends = createStorageBackends([local, memory]);

  it("finds the backend of a URI's scheme", () => {
    expect(backends.backendFor(ResourceUri.parse("/repo/a.json"))).toBe(local);
    expect(backends.backendFor(ResourceUri.parse("mem://repo/a.json"))).toBe(memory);
    expect(backends.schemes).toEqual(["file", "mem"]);
  });

  it("names the supported schemes when none serves a URI", () => {
    const uri = ResourceUri.parse("s3://bucket/a.json");
    expect(() => backends.backendFor(uri)).toThrow(
      new StorageError(
        'Cannot access "s3://bucket/a.json": no storage backend for "s3" URIs (supported schemes: "file", "mem")',
        uri.toString(),
        { hint: "Use a URI of a supported scheme, or configure a backend for this one" },
      ),
    );
  });

  it("refuses two backends for one scheme", () => {
    expect(() => createStorageBackends([memory, createMemoryBackend()])).toThrow(
      'Cannot use two storage backends for "mem" URIs',
    );
  });
});
