import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../../../test/support/temp-repo.ts";
import { StorageError, StorageNotFoundError } from "../../errors.ts";
import { createLocalBackend } from "./local-backend.ts";
import { createMemoryBackend } from "./memory-backend.ts";
import { ResourceUri } from "./resource-uri.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const destination = ResourceUri.parse("mem://repo/raw/r.fits");

describe("createMemoryBackend()", () => {
  let directory: { path: string; cleanup: () => void };
  let source: ResourceUri;
  beforeEach(() => {
    directory = tempDir("butler-memory-");
    writeFileSync(join(directory.path, "r.fits"), "pixels");
    source = ResourceUri.file(join(directory.path, "r.fits"));
  });
  afterEach(() => directory.cleanup());

  it("copies a file through a source backend, leaving it", async () => {
    const backend = createMemoryBackend({ sources: [createLocalBackend()] });
    await backend.transferIn(source, destination, "copy");
    expect(await backend.read(destination)).toEqual(bytes("pixels"));
    expect(existsSync(source.path)).toBe(true);
  });

  it("moves a file through a source backend, deleting it", async () => {
    const backend = createMemoryBackend({ sources: [createLocalBackend()] });
    await backend.transferIn(source, destination, "move");
    expect(await backend.read(destination)).toEqual(bytes("pixels"));
    expect(existsSync(source.path)).toBe(false);
  });

  it("reports an absent file source as not found", async () => {
    const backend = createMemoryBackend({ sources: [createLocalBackend()] });
    const absent = ResourceUri.file(join(directory.path, "absent.fits"));
    await expect(backend.transferIn(absent, destination, "copy")).rejects.toBeInstanceOf(
      StorageNotFoundError,
    );
  });

  it("refuses a source scheme it was given no backend for", async () => {
    const error = await createMemoryBackend()
      .transferIn(source, destination, "copy")
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toBe(
      `Cannot copy "${source}" into "${destination}": no source backend for "file" URIs`,
    );
    expect((error as StorageError).hint).toBe("Pass one to createMemoryBackend({ sources: [...] })");
  });

  it("keeps each instance's artifacts apart", async () => {
    const first = createMemoryBackend();
    await first.write(destination, bytes("x"));
    expect(await createMemoryBackend().exists(destination)).toBe(false);
  });

  it("keeps stores of different authorities apart", async () => {
    const backend = createMemoryBackend();
    await backend.write(destination, bytes("x"));
    expect(await backend.exists(ResourceUri.parse("mem://other/raw/r.fits"))).toBe(false);
  });
});
