import {
  chmodSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tempDir } from "../../../test/support/temp-repo.ts";
import { StorageError, StorageNotFoundError } from "../../errors.ts";
import { createLocalBackend, temporaryArtifactName } from "./local-backend.ts";
import { ResourceUri } from "./resource-uri.ts";
import type { StorageBackend } from "./storage-backend.ts";
import { isTemporaryArtifactName, TEMP_ARTIFACT_PREFIX } from "./temporary-artifact.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

let directory: { path: string; cleanup: () => void };
let root: ResourceUri;
let backend: StorageBackend;
beforeEach(() => {
  directory = tempDir("butler-local-");
  root = ResourceUri.file(directory.path, true);
  backend = createLocalBackend();
});
afterEach(() => directory.cleanup());

async function failure(promise: Promise<unknown>): Promise<StorageError> {
  const error = await promise.then(
    () => expect.unreachable("the call should have failed"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StorageError);
  return error as StorageError;
}

function temporaryFiles(path: string): string[] {
  return readdirSync(path).filter(isTemporaryArtifactName);
}

describe("temporary artifacts", () => {
  it("temporaryArtifactName() makes distinct names that isTemporaryArtifactName() recognises", () => {
    const names = Array.from({ length: 100 }, () => temporaryArtifactName());
    expect(new Set(names).size).toBe(100);
    expect(names.every(isTemporaryArtifactName)).toBe(true);
    expect(names[0]?.startsWith(`${TEMP_ARTIFACT_PREFIX}${process.pid}.`)).toBe(true);
    expect(isTemporaryArtifactName("raw.fits")).toBe(false);
  });

  it("write() leaves no temporary file behind", async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => backend.write(root.join(`d/${i}.txt`), bytes("x"))),
    );
    expect(readdirSync(join(directory.path, "d")).sort()).toHaveLength(20);
    expect(temporaryFiles(join(directory.path, "d"))).toEqual([]);
  });

  it("a failed write removes its temporary file: a directory is in the way", async () => {
    mkdirSync(join(directory.path, "taken"));
    const uri = root.join("taken");
    const error = await failure(backend.write(uri, bytes("x")));
    expect(error.message).toBe(`Cannot write "${uri}": a directory is in the way`);
    expect(error.hint).toBe("Remove the directory or choose another name");
    expect(temporaryFiles(directory.path)).toEqual([]);
  });

  it("a write under a file reports the parent that is a file", async () => {
    writeFileSync(join(directory.path, "file"), "x");
    const uri = root.join("file/child.txt");
    const error = await failure(backend.write(uri, bytes("x")));
    expect(error).not.toBeInstanceOf(StorageNotFoundError);
    expect(error.message).toBe(`Cannot write "${uri}": a parent directory is a file`);
    expect(error.hint).toBe("Move the file that is in the way");
    expect(temporaryFiles(directory.path)).toEqual([]);
  });

  it("list() skips leftovers of interrupted writes and listTemporaries() finds only them", async () => {
    await backend.write(root.join("a/kept.txt"), bytes("kept"));
    const leftover = temporaryArtifactName();
    writeFileSync(join(directory.path, "a", leftover), "partial");
    const listed = [];
    for await (const uri of backend.list(root)) listed.push(uri.toString());
    expect(listed).toEqual([root.join("a/kept.txt").toString()]);
    const temporaries = [];
    for await (const uri of backend.listTemporaries?.(root) ?? []) temporaries.push(uri.toString());
    expect(temporaries).toEqual([root.join(`a/${leftover}`).toString()]);
  });
});

describe("local files", () => {
  it("write() recreates a directory removed since the last write into it", async () => {
    await backend.write(root.join("d/one.txt"), bytes("1"));
    rmSync(join(directory.path, "d"), { recursive: true });
    await backend.write(root.join("d/two.txt"), bytes("2"));
    expect(readFileSync(join(directory.path, "d", "two.txt"), "utf8")).toBe("2");
  });

  it("list() follows no link to a directory but lists links to files", async () => {
    await backend.write(root.join("real/a.txt"), bytes("a"));
    symlinkSync(join(directory.path, "real"), join(directory.path, "loop"));
    symlinkSync(join(directory.path, "real", "a.txt"), join(directory.path, "link.txt"));
    const listed = [];
    for await (const uri of backend.list(root)) listed.push(uri.relativeTo(root));
    expect(listed).toEqual(["link.txt", "real/a.txt"]);
  });

  it("exists() tells a directory URI from a file URI", async () => {
    await backend.write(root.join("d/a.txt"), bytes("a"));
    expect(await backend.exists(root.join("d/"))).toBe(true);
    expect(await backend.exists(root.join("d"))).toBe(false);
    expect(await backend.exists(root.join("d/a.txt/"))).toBe(false);
    expect(await backend.stat(root.join("d"))).toBeNull();
  });

  it.skipIf(process.getuid?.() === 0)(
    "a permission error names the path in its hint [skipped as root: root ignores permissions]",
    async () => {
      mkdirSync(join(directory.path, "locked"));
      chmodSync(join(directory.path, "locked"), 0o500);
      const uri = root.join("locked/a.txt");
      const error = await failure(backend.write(uri, bytes("x")));
      expect(error.message).toBe(`Cannot write "${uri}": permission denied`);
      expect(error.hint).toBe(`Check the permissions of "${uri.path}" and its directories`);
    },
  );
});

describe("transferIn() on the local file system", () => {
  let source: ResourceUri;
  beforeEach(async () => {
    source = root.join("incoming/raw.fits");
    await backend.write(source, bytes("pixels"));
  });

  it("symlink points at the absolute source path", async () => {
    const destination = root.join("store/a/raw.fits");
    await backend.transferIn(source, destination, "symlink");
    expect(readlinkSync(destination.path)).toBe(source.path);
  });

  it("relsymlink points at the source by a relative path", async () => {
    const destination = root.join("store/a/raw.fits");
    await backend.transferIn(source, destination, "relsymlink");
    expect(readlinkSync(destination.path)).toBe("../../incoming/raw.fits");
    expect(await backend.read(destination)).toEqual(bytes("pixels"));
  });

  it.each(["hardlink", "link"] as const)("%s shares the source's inode on one file system", async (mode) => {
    const destination = root.join("store/raw.fits");
    await backend.transferIn(source, destination, mode);
    expect(lstatSync(destination.path).isSymbolicLink()).toBe(false);
    expect(statSync(destination.path).ino).toBe(statSync(source.path).ino);
  });

  it("move renames the file and copy makes a new one", async () => {
    const inode = statSync(source.path).ino;
    await backend.transferIn(source, root.join("copied.fits"), "copy");
    expect(statSync(root.join("copied.fits").path).ino).not.toBe(inode);
    await backend.transferIn(source, root.join("moved.fits"), "move");
    expect(statSync(root.join("moved.fits").path).ino).toBe(inode);
    expect(() => statSync(source.path)).toThrow();
  });

  it("a hard link onto an existing link to the same file leaves no temporary file", async () => {
    await backend.transferIn(source, source, "hardlink");
    const destination = root.join("store/raw.fits");
    await backend.transferIn(source, destination, "hardlink");
    await backend.transferIn(source, destination, "hardlink");
    expect(temporaryFiles(join(directory.path, "incoming"))).toEqual([]);
    expect(temporaryFiles(join(directory.path, "store"))).toEqual([]);
    expect(await backend.read(source)).toEqual(bytes("pixels"));
  });

  it("refuses to replace a file with a symbolic link to itself", async () => {
    const error = await failure(backend.transferIn(source, source, "symlink"));
    expect(error.message).toBe(`Cannot symlink "${source}" onto itself`);
    expect(await backend.read(source)).toEqual(bytes("pixels"));
  });

  it("refuses a directory or a source of another scheme", async () => {
    const folder = await failure(backend.transferIn(root.join("incoming"), root.join("x"), "copy"));
    expect(folder.message).toBe(`Cannot copy "${root.join("incoming")}": it is a directory`);
    const remote = ResourceUri.parse("mem://m/raw.fits");
    const other = await failure(backend.transferIn(remote, root.join("x"), "copy"));
    expect(other.message).toBe(
      `Cannot copy "mem://m/raw.fits" into "${root.join("x")}": the local storage backend takes only "file" sources`,
    );
    expect(other.hint).toBe("Read the artifact with the backend for its scheme and write() the bytes");
  });
});
