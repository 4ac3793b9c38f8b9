import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../../test/support/property.ts";
import { StorageError } from "../../errors.ts";
import { ResourceUri } from "./resource-uri.ts";

const root = ResourceUri.parse("/repo/");

function parseError(text: string, base?: ResourceUri): StorageError {
  try {
    ResourceUri.parse(text, base);
  } catch (error) {
    expect(error).toBeInstanceOf(StorageError);
    return error as StorageError;
  }
  return expect.unreachable(`"${text}" should not parse`);
}

describe("ResourceUri.parse()", () => {
  it.each<[string, string, string, string, string | null]>([
    ["file:///a/b%20c.txt", "file", "", "/a/b c.txt", null],
    ["file:/a/b", "file", "", "/a/b", null],
    ["file://localhost/a", "file", "", "/a", null],
    ["FILE:///a/", "file", "", "/a/", null],
    ["/abs/path with space", "file", "", "/abs/path with space", null],
    ["/abs/a%20b", "file", "", "/abs/a b", null],
    ["/abs/100%", "file", "", "/abs/100%", null],
    ["mem://store/a/b", "mem", "store", "/a/b", null],
    ["mem:///a", "mem", "", "/a", null],
    ["s3://bucket/key/x.fits", "s3", "bucket", "/key/x.fits", null],
    ["s3://bucket", "s3", "bucket", "/", null],
    ["https://host:8443/a/b.json", "https", "host:8443", "/a/b.json", null],
    ["http://host/a%3Fb", "http", "host", "/a?b", null],
    ["/a/./b/../c", "file", "", "/a/c", null],
    ["/a//b/..", "file", "", "/a/", null],
    ["/../a", "file", "", "/a", null],
    ["file:///z.zip#zip-path=m.json", "file", "", "/z.zip", "zip-path=m.json"],
    ["/a/b.fits#predicted", "file", "", "/a/b.fits", "predicted"],
    ["/a#b/c", "file", "", "/a#b/c", null],
    ["/a/b#", "file", "", "/a/b", null],
  ])("reads %j", (text, scheme, authority, path, fragment) => {
    const uri = ResourceUri.parse(text);
    expect({ scheme: uri.scheme, authority: uri.authority, path: uri.path, fragment: uri.fragment }).toEqual({
      scheme,
      authority,
      path,
      fragment,
    });
  });

  it("resolves a relative path, its escapes and fragment against a directory base", () => {
    expect(ResourceUri.parse("raw/r%201.fits#zip-path=a", root).toString()).toBe(
      "file:///repo/raw/r%201.fits#zip-path=a",
    );
    expect(ResourceUri.parse("a/b", ResourceUri.parse("mem://m/x/")).toString()).toBe("mem://m/x/a/b");
    expect(ResourceUri.parse("../up.txt", root).path).toBe("/up.txt");
  });

  it("refuses a relative path without a directory base", () => {
    expect(parseError("a/b").message).toBe('Cannot resolve the relative path "a/b" without a base');
    const error = parseError("a/b", ResourceUri.parse("/repo"));
    expect(error.message).toBe(
      'Cannot resolve the relative path "a/b" against "file:///repo", which is not a directory',
    );
    expect(error.hint).toContain('ending in "/"');
    expect(error.code).toBe("StorageError");
  });

  it.each([
    ["", "Cannot parse an empty URI"],
    ["file://host/a", 'Cannot parse "file://host/a": file URIs on another host are not supported'],
    ["s3:///key", 'Cannot parse "s3:///key": "s3" URIs need a bucket or host'],
    ["https://h/a?x=1", 'Cannot parse "https://h/a?x=1": query strings are not supported'],
    ["file:///a%FF", 'Cannot parse "file:///a%FF": "%FF" is not UTF-8 percent-encoding'],
    ["file:a/b", 'Cannot parse "file:a/b": a file URI needs an absolute path'],
    ["mem://a b/x", 'Cannot parse "mem://a b/x": "a b" is not a valid host or bucket'],
  ])("refuses %j", (text, message) => {
    const error = parseError(text);
    expect(error.message).toBe(message);
    expect(error.uri).toBe(text);
  });
});

describe("ResourceUri.file()", () => {
  it("takes a local path literally", () => {
    const uri = ResourceUri.file("/data/a%20b #1.fits");
    expect(uri.path).toBe("/data/a%20b #1.fits");
    expect(uri.fragment).toBeNull();
    expect(uri.toString()).toBe("file:///data/a%2520b%20%231.fits");
    expect(uri.localPath).toBe("/data/a%20b #1.fits");
  });

  it("makes a directory from a trailing slash or the flag", () => {
    expect(ResourceUri.file("/data/").isDirectory).toBe(true);
    expect(ResourceUri.file("/data", true).path).toBe("/data/");
    expect(ResourceUri.file("/data").isDirectory).toBe(false);
  });

  it("refuses a relative path", () => {
    expect(() => ResourceUri.file("data/x")).toThrow(
      new StorageError('Cannot make a file URI from the relative path "data/x"', "data/x", {
        hint: "Resolve it to an absolute path first (path.resolve)",
      }),
    );
  });
});

describe("ResourceUri parts", () => {
  it.each([
    ["/a/b.yaml", "b.yaml", ".yaml"],
    ["/a/b.fits.gz", "b.fits.gz", ".fits.gz"],
    ["/a/b.fits.fz", "b.fits.fz", ".fits.fz"],
    ["/a/b.tar.bz2", "b.tar.bz2", ".tar.bz2"],
    ["/a/b.v1.json", "b.v1.json", ".json"],
    ["/a/b.gz", "b.gz", ".gz"],
    ["/a.d/b", "b", ""],
    ["/a/dir.d/", "dir.d", ".d"],
    ["/a/.hidden", ".hidden", ".hidden"],
    ["/", "", ""],
  ])("%j has basename %j and extension %j", (path, basename, extension) => {
    const uri = ResourceUri.parse(path);
    expect(uri.basename).toBe(basename);
    expect(uri.extension).toBe(extension);
  });

  it("dirname() is the parent directory, the root its own", () => {
    expect(ResourceUri.parse("s3://b/x/y.fits#predicted").dirname().toString()).toBe("s3://b/x/");
    expect(ResourceUri.parse("/x/y/").dirname().path).toBe("/x/");
    expect(ResourceUri.parse("/").dirname().path).toBe("/");
  });

  it("localPath is only for file URIs", () => {
    expect(ResourceUri.parse("file:///a%20b").localPath).toBe("/a b");
    expect(ResourceUri.parse("mem://m/a").localPath).toBeNull();
  });

  it("asDirectory() adds the trailing slash and drops the fragment", () => {
    expect(ResourceUri.parse("/repo#x").asDirectory().toString()).toBe("file:///repo/");
    expect(root.asDirectory()).toBe(root);
  });

  it("withFragment() and withoutFragment() change only the fragment", () => {
    const uri = root.join("z.zip").withFragment("zip-path=a b.json");
    expect(uri.toString()).toBe("file:///repo/z.zip#zip-path=a b.json");
    expect(uri.withoutFragment().equals(root.join("z.zip"))).toBe(true);
    expect(uri.withFragment("").fragment).toBeNull();
    expect(uri.equals(uri.withFragment("zip-path=a b.json"))).toBe(true);
    expect(uri.equals(uri.withFragment("other"))).toBe(false);
  });

  it("is frozen", () => {
    expect(Object.isFrozen(root)).toBe(true);
  });

  it("toString() quotes as Python's urllib.parse.quote does", () => {
    expect(ResourceUri.file("/a/b!'()*:@&=+$,;~_-.é").toString()).toBe(
      "file:///a/b%21%27%28%29%2A%3A%40%26%3D%2B%24%2C%3B~_-.%C3%A9",
    );
  });
});

describe("ResourceUri.join()", () => {
  it("joins a literal relative path", () => {
    expect(root.join("raw/r 1.fits").toString()).toBe("file:///repo/raw/r%201.fits");
    expect(root.join("a%20b#c").path).toBe("/repo/a%20b#c");
    expect(root.join("a/./b//c").path).toBe("/repo/a/b/c");
    expect(root.join("a/../b").path).toBe("/repo/b");
  });

  it("makes a directory from a trailing slash or the option", () => {
    expect(root.join("sub/").isDirectory).toBe(true);
    expect(root.join("sub", { isDirectory: true }).path).toBe("/repo/sub/");
    expect(root.join("sub").isDirectory).toBe(false);
  });

  it.each([
    ["../x", '".." leads outside the directory'],
    ["a/../../x", '".." leads outside the directory'],
    ["/etc/passwd", "the path is absolute"],
    ["", "the path is empty"],
  ])("refuses %j", (path, reason) => {
    expect(() => root.join(path)).toThrow(`Cannot join "${path}" to "file:///repo/": ${reason}`);
  });

  it("refuses to join to a URI that is not a directory", () => {
    expect(() => ResourceUri.parse("/repo").join("x")).toThrow(
      'Cannot join "x" to "file:///repo": it is not a directory',
    );
  });
});

describe("ResourceUri.relativeTo() and isUnder()", () => {
  it.each<[string, string, string | null]>([
    ["/repo/a/b.fits", "/repo/", "a/b.fits"],
    ["/repo/a/b.fits", "/repo", "a/b.fits"],
    ["/repo/a/", "/repo/", "a/"],
    ["/repo/", "/repo/", ""],
    ["/repo2/a", "/repo/", null],
    ["/other/a", "/repo/", null],
    ["/repo/a b#f", "/", "repo/a b"],
    ["mem://m/repo/a", "/repo/", null],
  ])("%j relative to %j is %j", (uri, base, expected) => {
    expect(ResourceUri.parse(uri).relativeTo(ResourceUri.parse(base))).toBe(expected);
    expect(ResourceUri.parse(uri).isUnder(ResourceUri.parse(base))).toBe(expected !== null);
  });

  it("needs the same authority", () => {
    expect(ResourceUri.parse("s3://a/x").relativeTo(ResourceUri.parse("s3://b/"))).toBeNull();
  });
});

describe("ResourceUri properties", () => {
  const char = fc.oneof(
    fc.constantFrom("%", "%2", "%20", "#", "?", " ", ".", "é", "\\", ":"),
    fc.string({ unit: "binary", minLength: 1, maxLength: 1 }),
  );
  const segment = fc
    .string({ unit: char, minLength: 1, maxLength: 6 })
    .filter((s) => !s.includes("/") && s !== "." && s !== "..");
  const place = fc.oneof(
    fc.constant("file://"),
    fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,8}$/).map((bucket) => `s3://${bucket}`),
    fc.stringMatching(/^[a-z0-9.-]{0,8}$/).map((store) => `mem://${store}`),
  );
  const uris = fc
    .record({
      place,
      segments: fc.array(segment, { maxLength: 4 }),
      isDirectory: fc.boolean(),
      fragment: fc.option(fc.string({ unit: char, minLength: 1, maxLength: 6 })),
    })
    .map(({ place, segments, isDirectory, fragment }) => {
      const top = ResourceUri.parse(`${place}/`);
      const uri = segments.length === 0 ? top : top.join(segments.join("/"), { isDirectory });
      return { top, relative: segments.join("/"), uri: uri.withFragment(fragment) };
    });

  it("parse(uri.toString()) gives back the same URI", () => {
    fc.assert(
      fc.property(uris, ({ uri }) => {
        const again = ResourceUri.parse(uri.toString());
        expect(again.equals(uri), `${uri} -> ${again}`).toBe(true);
        expect(again.toString()).toBe(uri.toString());
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("join() then relativeTo() gives back the relative path", () => {
    fc.assert(
      fc.property(uris, ({ top, relative, uri }) => {
        expect(uri.relativeTo(top)?.replace(/\/$/, "")).toBe(relative);
      }),
      PROPERTY_OPTIONS,
    );
  });
});
