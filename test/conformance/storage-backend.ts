import { Buffer } from "node:buffer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ResourceUri } from "../../src/datastore/storage/resource-uri.ts";
import type { StorageBackend, StorageTransferMode } from "../../src/datastore/storage/storage-backend.ts";
import { TEMP_ARTIFACT_PREFIX } from "../../src/datastore/storage/temporary-artifact.ts";
import { StorageError, StorageNotFoundError } from "../../src/errors.ts";

/** A backend under test and an empty directory URI it may fill; `cleanup` removes what the test left. */
export interface StorageFixture {
  readonly backend: StorageBackend;
  readonly root: ResourceUri;
  cleanup(): Promise<void>;
}

const LINK_MODES: readonly StorageTransferMode[] = ["hardlink", "symlink", "relsymlink", "link"];

/** `size` bytes of a pattern that differs with `seed`, so misplaced or stale bytes show. */
function pattern(size: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) & 0xff;
  return bytes;
}

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

/** Whether two byte arrays are equal, by memcmp: element-wise `toEqual` takes seconds on megabytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the call should have failed"),
    (error: unknown) => error,
  );
}

async function expectNotFound(promise: Promise<unknown>, uri: ResourceUri): Promise<void> {
  const error = await caught(promise);
  expect(error).toBeInstanceOf(StorageNotFoundError);
  expect((error as StorageNotFoundError).code).toBe("StorageNotFoundError");
  expect((error as StorageNotFoundError).uri).toBe(uri.toString());
  expect((error as Error).message).toContain(`"${uri}"`);
}

async function listed(backend: StorageBackend, prefix: ResourceUri): Promise<string[]> {
  const uris: string[] = [];
  for await (const uri of backend.list(prefix)) uris.push(uri.toString());
  return uris.sort();
}

/**
 * The storage contract every {@link StorageBackend} meets (local, memory, and later S3 and HTTP). `setup`
 * runs before each test, and once while the suite is collected to read the backend's capabilities: tests
 * of an ability the backend lacks are skipped, and their names say which flag they need.
 */
export function describeStorageBackendConformance(name: string, setup: () => Promise<StorageFixture>): void {
  describe(`${name} storage backend conformance`, async () => {
    const probe = await setup();
    const { capabilities } = probe.backend;
    await probe.cleanup();

    let backend: StorageBackend;
    let root: ResourceUri;
    let fixture: StorageFixture;
    beforeEach(async () => {
      fixture = await setup();
      ({ backend, root } = fixture);
    });
    afterEach(() => fixture.cleanup());

    describe("read() and write()", () => {
      it.each([
        ["empty", 0],
        ["small", 100],
        ["5 MB", 5 * 1024 * 1024],
      ])("write() then read() gives back the same bytes (%s)", async (_, size) => {
        const uri = root.join(`blob-${size}.bin`);
        const data = pattern(size, 7);
        await backend.write(uri, data);
        const got = await backend.read(uri);
        expect(got.length).toBe(size);
        expect(sameBytes(got, data)).toBe(true);
      });

      it("write() replaces an existing artifact, whether the new one is longer or shorter", async () => {
        const uri = root.join("replaced.txt");
        await backend.write(uri, text("first"));
        await backend.write(uri, text("second, longer"));
        expect(await backend.read(uri)).toEqual(text("second, longer"));
        await backend.write(uri, text("3rd"));
        expect(await backend.read(uri)).toEqual(text("3rd"));
        expect((await backend.stat(uri))?.size).toBe(3);
      });

      it("write() creates missing parent directories", async () => {
        const uri = root.join("a/b/c/d.json");
        await backend.write(uri, text("{}"));
        expect(await backend.read(uri)).toEqual(text("{}"));
        expect(await backend.exists(root.join("a/b/", { isDirectory: true }))).toBe(true);
      });

      it("parallel writes into one new directory all land", async () => {
        const uris = Array.from({ length: 40 }, (_, i) => root.join(`fresh/dir/${i}.txt`));
        await Promise.all(uris.map((uri, i) => backend.write(uri, text(`${i}`))));
        const contents = await Promise.all(uris.map((uri) => backend.read(uri)));
        expect(contents).toEqual(uris.map((_, i) => text(`${i}`)));
      });

      it("keeps no reference to the caller's bytes and hands out bytes the caller owns", async () => {
        const uri = root.join("owned.bin");
        const data = pattern(16);
        await backend.write(uri, data);
        data.fill(0);
        const first = await backend.read(uri);
        first.fill(1);
        expect(await backend.read(uri)).toEqual(pattern(16));
      });

      it("paths with spaces, # and % reach the same artifact", async () => {
        const uri = root.join("odd name #1 100%.txt");
        await backend.write(uri, text("odd"));
        expect(await backend.read(ResourceUri.parse(uri.toString()))).toEqual(text("odd"));
        expect(await listed(backend, root)).toEqual([uri.toString()]);
      });

      it("ignores the fragment, which addresses something inside the artifact", async () => {
        const uri = root.join("bundle.zip");
        await backend.write(uri.withFragment("zip-path=member.json"), text("zip"));
        expect(await backend.read(uri)).toEqual(text("zip"));
        expect(await backend.read(uri.withFragment("predicted"))).toEqual(text("zip"));
      });

      it("read() of an absent artifact throws StorageNotFoundError naming the URI", async () => {
        const uri = root.join("missing/absent.fits");
        await expectNotFound(backend.read(uri), uri);
      });

      it("refuses a directory URI as an artifact with a StorageError", async () => {
        const directory = root.join("dir/", { isDirectory: true });
        for (const call of [backend.write(directory, text("x")), backend.read(directory)]) {
          const error = await caught(call);
          expect(error).toBeInstanceOf(StorageError);
          expect(error).not.toBeInstanceOf(StorageNotFoundError);
          expect((error as StorageError).hint).toBeDefined();
        }
      });

      it("refuses a URI of another scheme with a StorageError that names it", async () => {
        const uri = ResourceUri.parse("nosuchscheme://host/a.txt");
        const error = await caught(backend.read(uri));
        expect(error).toBeInstanceOf(StorageError);
        expect((error as Error).message).toContain('"nosuchscheme://host/a.txt"');
      });
    });

    describe("readRange()", () => {
      const data = pattern(1000, 3);
      const cases: ReadonlyArray<[string, number, number, Uint8Array]> = [
        ["the middle", 100, 200, data.slice(100, 200)],
        ["up to the end, clamped", 900, 5000, data.slice(900)],
        ["to Infinity", 990, Infinity, data.slice(990)],
        ["an empty range", 10, 10, new Uint8Array(0)],
        ["a range beyond the end", 2000, 3000, new Uint8Array(0)],
      ];
      it.each(cases)("reads %s", async (_, start, end, expected) => {
        const uri = root.join("range.bin");
        await backend.write(uri, data);
        expect(await backend.readRange(uri, start, end)).toEqual(expected);
      });

      it("readRanges() reads several ranges in the order asked, each clamped, each its own copy", async () => {
        const uri = root.join("range.bin");
        await backend.write(uri, data);
        const parts = await backend.readRanges(
          uri,
          cases.map(([, start, end]) => [start, end] as const),
        );
        expect(parts).toEqual(cases.map(([, , , expected]) => expected));
        (parts[0] as Uint8Array).fill(0);
        expect(await backend.readRange(uri, 100, 200)).toEqual(data.slice(100, 200));
        await expectNotFound(backend.readRanges(root.join("absent.bin"), [[0, 1]]), root.join("absent.bin"));
      });

      it("refuses a negative or reversed range with a StorageError", async () => {
        const uri = root.join("range.bin");
        await backend.write(uri, data);
        for (const [start, end] of [
          [-1, 10],
          [20, 10],
          [0.5, 10],
        ] as const) {
          expect(await caught(backend.readRange(uri, start, end))).toBeInstanceOf(StorageError);
        }
      });

      it("throws StorageNotFoundError for an absent artifact", async () => {
        const uri = root.join("absent.bin");
        await expectNotFound(backend.readRange(uri, 0, 10), uri);
      });
    });

    describe("exists(), stat() and delete()", () => {
      it("exists() and stat() see a written artifact and its size", async () => {
        const uri = root.join("x/stat.bin");
        await backend.write(uri, pattern(1234));
        expect(await backend.exists(uri)).toBe(true);
        const stat = await backend.stat(uri);
        expect(stat?.size).toBe(1234);
        expect(stat?.modified).toBeInstanceOf(Date);
        expect(Number.isNaN(stat?.modified.getTime())).toBe(false);
      });

      it("exists() is false and stat() null for an absent artifact", async () => {
        const uri = root.join("nothing/here.bin");
        expect(await backend.exists(uri)).toBe(false);
        expect(await backend.stat(uri)).toBeNull();
        expect(await backend.exists(root.join("nothing/", { isDirectory: true }))).toBe(false);
      });

      it("delete() removes a present artifact and returns true", async () => {
        const uri = root.join("doomed.txt");
        await backend.write(uri, text("bye"));
        expect(await backend.delete(uri)).toBe(true);
        expect(await backend.exists(uri)).toBe(false);
        await expectNotFound(backend.read(uri), uri);
      });

      it("delete() of an absent artifact returns false", async () => {
        expect(await backend.delete(root.join("never/was.txt"))).toBe(false);
      });
    });

    describe("list()", () => {
      it.skipIf(!capabilities.list)(
        "lists every artifact under a prefix recursively, but no directory [needs capabilities.list]",
        async () => {
          const names = ["a.txt", "sub/b.txt", "sub/deeper/c.txt", "sub2/d.txt"];
          for (const path of names) await backend.write(root.join(path), text(path));
          expect(await listed(backend, root)).toEqual(names.map((path) => root.join(path).toString()));
          expect(await listed(backend, root.join("sub/", { isDirectory: true }))).toEqual([
            root.join("sub/b.txt").toString(),
            root.join("sub/deeper/c.txt").toString(),
          ]);
        },
      );

      it.skipIf(!capabilities.list)(
        "does not list temporary artifacts of unfinished writes [needs capabilities.list]",
        async () => {
          await backend.write(root.join("kept.txt"), text("kept"));
          await backend.write(root.join(`${TEMP_ARTIFACT_PREFIX}1.abc.1`), text("partial"));
          expect(await listed(backend, root)).toEqual([root.join("kept.txt").toString()]);
        },
      );

      it.skipIf(!capabilities.list)(
        "lists nothing under an absent prefix [needs capabilities.list]",
        async () => {
          expect(await listed(backend, root.join("absent/", { isDirectory: true }))).toEqual([]);
        },
      );
    });

    describe("transferIn()", () => {
      it("copy leaves the source and makes an equal destination", async () => {
        const source = root.join("incoming/raw.fits");
        const destination = root.join("store/raw.fits");
        await backend.write(source, pattern(300, 1));
        await backend.transferIn(source, destination, "copy");
        expect(await backend.read(destination)).toEqual(pattern(300, 1));
        expect(await backend.read(source)).toEqual(pattern(300, 1));
      });

      it("move makes the destination and removes the source", async () => {
        const source = root.join("incoming/raw.fits");
        const destination = root.join("store/deep/raw.fits");
        await backend.write(source, pattern(300, 2));
        await backend.transferIn(source, destination, "move");
        expect(await backend.read(destination)).toEqual(pattern(300, 2));
        expect(await backend.exists(source)).toBe(false);
      });

      it("replaces an existing destination", async () => {
        const source = root.join("incoming/new.txt");
        const destination = root.join("store/old.txt");
        await backend.write(source, text("new"));
        await backend.write(destination, text("old, longer"));
        await backend.transferIn(source, destination, "copy");
        expect(await backend.read(destination)).toEqual(text("new"));
      });

      it("throws StorageNotFoundError naming an absent source", async () => {
        const source = root.join("incoming/absent.txt");
        await expectNotFound(backend.transferIn(source, root.join("store/x.txt"), "copy"), source);
      });

      it.skipIf(!capabilities.links).each(LINK_MODES)(
        "%s makes a destination that reads as the source [needs capabilities.links]",
        async (mode) => {
          const source = root.join("incoming/linked.txt");
          const destination = root.join(`store/${mode}/linked.txt`);
          await backend.write(source, text(mode));
          await backend.transferIn(source, destination, mode);
          expect(await backend.read(destination)).toEqual(text(mode));
          expect(await backend.read(source)).toEqual(text(mode));
        },
      );

      it.skipIf(capabilities.links).each(LINK_MODES)(
        "%s is refused with a StorageError and a hint [only without capabilities.links]",
        async (mode) => {
          const source = root.join("incoming/linked.txt");
          await backend.write(source, text(mode));
          const error = await caught(backend.transferIn(source, root.join("store/linked.txt"), mode));
          expect(error).toBeInstanceOf(StorageError);
          expect((error as StorageError).hint).toContain("copy");
        },
      );
    });

    it.skipIf(!capabilities.atomicWrite)(
      "readers see one whole content or the other while an artifact is rewritten [needs capabilities.atomicWrite]",
      async () => {
        const size = 1024 * 1024;
        const contents = [new Uint8Array(size).fill(0x61), new Uint8Array(size).fill(0x62)] as const;
        const uri = root.join("contended.bin");
        await backend.write(uri, contents[0]);
        let writing = true;
        const writer = (async () => {
          try {
            for (let i = 1; i <= 40; i++) await backend.write(uri, contents[i % 2] as Uint8Array);
          } finally {
            writing = false;
          }
        })();
        const reader = async (): Promise<string[]> => {
          const torn: string[] = [];
          do {
            const got = await backend.read(uri);
            if (!contents.some((content) => sameBytes(got, content))) {
              torn.push(`${got.length} bytes starting ${got[0]}`);
            }
          } while (writing);
          return torn;
        };
        const torn = await Promise.all([reader(), reader(), reader(), reader()]);
        await writer;
        expect(torn.flat()).toEqual([]);
      },
    );
  });
}
