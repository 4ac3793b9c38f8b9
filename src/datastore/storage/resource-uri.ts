import { StorageError } from "../../errors.ts";

/** Extensions that name a compression of the extension before them (`.fits.gz` is one extension). */
const COMPRESSION_EXTENSIONS = new Set([".gz", ".bz2", ".xz", ".fz"]);
/** Schemes whose URIs must name a host or bucket. */
const NEEDS_AUTHORITY = new Set(["s3", "http", "https", "gs"]);
const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const AUTHORITY = /^[A-Za-z0-9._~!$&'()*+,;=:@[\]-]*$/;
/** lsst-resources' test for a schemeless path that is already percent-encoded. */
const ESCAPE = /%[0-9A-F]{2}/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Where an artifact or directory lives: `scheme://authority/path#fragment`, an immutable value with no I/O
 * (the {@link StorageBackend} for the scheme does that). `path` is absolute, `/`-separated and not
 * percent-encoded; a trailing `/` marks a directory. The fragment carries daf_butler's `#predicted` and
 * `#zip-path=member` markers and is kept as written.
 *
 * @example
 * const root = ResourceUri.parse("/repo/");
 * root.join("raw/r 1.fits").toString(); // "file:///repo/raw/r%201.fits"
 */
export class ResourceUri {
  /** Lower-case scheme: `file`, `mem`, `s3`, `http`, `https`. */
  readonly scheme: string;
  /** Host, bucket or memory store name; `""` for `file`. */
  readonly authority: string;
  /** Absolute posix path, decoded; ends with `/` for a directory. */
  readonly path: string;
  /** Text after `#`, or null when there is none. */
  readonly fragment: string | null;

  private constructor(scheme: string, authority: string, path: string, fragment: string | null) {
    this.scheme = scheme;
    this.authority = authority;
    this.path = path;
    this.fragment = fragment === "" ? null : fragment;
    Object.freeze(this);
  }

  /** Whether text is a URI with a scheme (`file:///a`, `s3://b/k`) rather than a plain path. */
  static hasScheme(text: string): boolean {
    return SCHEME.test(text);
  }

  /**
   * Read a URI or path: `file:///a/b`, `file:/a/b`, `/a/b`, `mem://store/a`, `s3://bucket/key`,
   * `https://host/a`, or a relative path resolved against the directory `base`. Percent-escapes are decoded
   * in URIs, and in plain paths only when they contain one (as lsst-resources does, so paths daf_butler
   * recorded encoded read back). In a plain path only a `#` in the last component starts a fragment.
   * `.` and `..` are resolved (never above `/`); unlike {@link ResourceUri.join} a relative path may climb
   * out of `base`, so check {@link ResourceUri.isUnder} where that matters.
   * @throws {StorageError} when the text is empty, relative without a directory `base`, has a query
   *   string, a malformed escape or authority, or lacks a bucket/host its scheme needs.
   */
  static parse(text: string, base?: ResourceUri): ResourceUri {
    if (text === "")
      throw new StorageError("Cannot parse an empty URI", text, { hint: "Give a path or URI" });
    const schemeMatch = SCHEME.exec(text);
    if (schemeMatch !== null) return ResourceUri.parseUri(text, (schemeMatch[1] as string).toLowerCase());
    if (/^file:/i.test(text)) {
      const [body, fragment] = splitAt(text, text.indexOf("#"));
      const path = body.slice("file:".length);
      if (!path.startsWith("/")) {
        throw new StorageError(`Cannot parse "${text}": a file URI needs an absolute path`, text, {
          hint: 'Write it as "file:///absolute/path"',
        });
      }
      return ResourceUri.create("file", "", decode(path, text), fragment, text);
    }
    const [body, fragment] = splitAt(text, text.indexOf("#", text.lastIndexOf("/") + 1));
    const path = ESCAPE.test(body) ? decode(body, text) : body;
    if (path.startsWith("/")) return ResourceUri.create("file", "", path, fragment, text);
    if (base === undefined || !base.isDirectory) {
      throw new StorageError(
        `Cannot resolve the relative path "${text}" ${base === undefined ? "without a base" : `against "${base}", which is not a directory`}`,
        text,
        { hint: 'Give an absolute path or URI, or a base directory URI ending in "/"' },
      );
    }
    return ResourceUri.create(base.scheme, base.authority, base.path + path, fragment, text);
  }

  /**
   * The URI of a local absolute path, taken literally (no escapes, no fragment). A trailing `/` or
   * `isDirectory` makes it a directory.
   * @throws {StorageError} when the path is not absolute.
   */
  static file(localPath: string, isDirectory = false): ResourceUri {
    if (!localPath.startsWith("/")) {
      throw new StorageError(`Cannot make a file URI from the relative path "${localPath}"`, localPath, {
        hint: "Resolve it to an absolute path first (path.resolve)",
      });
    }
    return ResourceUri.create("file", "", isDirectory ? withSlash(localPath) : localPath, null, localPath);
  }

  /** Whether this names a directory (its path ends with `/`). */
  get isDirectory(): boolean {
    return this.path.endsWith("/");
  }

  /** The last path component, without a directory's trailing `/`; `""` for the root. */
  get basename(): string {
    const trimmed = this.isDirectory ? this.path.slice(0, -1) : this.path;
    return trimmed.slice(trimmed.lastIndexOf("/") + 1);
  }

  /**
   * The extension of the basename with its dot (`.yaml`), two for a compressed one (`.fits.gz`), or `""`;
   * as lsst-resources' `getExtension`.
   */
  get extension(): string {
    const suffixes = this.basename.split(".").slice(1);
    const last = suffixes.pop();
    if (last === undefined) return "";
    const previous = suffixes.pop();
    return previous !== undefined && COMPRESSION_EXTENSIONS.has(`.${last}`)
      ? `.${previous}.${last}`
      : `.${last}`;
  }

  /** The local file-system path for a `file` URI (decoded), or null for any other scheme. */
  get localPath(): string | null {
    return this.scheme === "file" ? this.path : null;
  }

  /** The directory holding this one (the root is its own parent); the fragment is dropped. */
  dirname(): ResourceUri {
    const trimmed = this.isDirectory ? this.path.slice(0, -1) : this.path;
    const parent = trimmed.slice(0, trimmed.lastIndexOf("/") + 1) || "/";
    return new ResourceUri(this.scheme, this.authority, parent, null);
  }

  /** This URI as a directory (trailing `/` added), without a fragment. */
  asDirectory(): ResourceUri {
    return this.isDirectory && this.fragment === null
      ? this
      : new ResourceUri(this.scheme, this.authority, withSlash(this.path), null);
  }

  /**
   * The URI of `relativePath` (literal: no escapes, no fragment) inside this directory. A trailing `/`
   * or `isDirectory` makes the result a directory.
   * @throws {StorageError} when this is not a directory, or the path is empty, absolute, or climbs out
   *   of this directory with `..`.
   */
  join(relativePath: string, options: { readonly isDirectory?: boolean } = {}): ResourceUri {
    const fail = (reason: string, hint: string): never => {
      throw new StorageError(`Cannot join "${relativePath}" to "${this}": ${reason}`, this.toString(), {
        hint,
      });
    };
    if (!this.isDirectory) fail("it is not a directory", 'Use a directory URI (ending in "/") as the base');
    if (relativePath === "") fail("the path is empty", "Give a file or directory name");
    if (relativePath.startsWith("/")) {
      fail("the path is absolute", "Give a path relative to the directory, or parse the absolute one");
    }
    let depth = 0;
    for (const segment of relativePath.split("/")) {
      if (segment === "..") depth--;
      else if (segment !== "" && segment !== ".") depth++;
      if (depth < 0) fail('".." leads outside the directory', "Give a path that stays inside the directory");
    }
    const path = this.path + (options.isDirectory === true ? withSlash(relativePath) : relativePath);
    return ResourceUri.create(this.scheme, this.authority, path, null, relativePath);
  }

  /**
   * The decoded path of this URI relative to the directory `base` (`"a/b.fits"`, `""` for the directory
   * itself), or null when it is not under `base`. Fragments are ignored.
   */
  relativeTo(base: ResourceUri): string | null {
    if (this.scheme !== base.scheme || this.authority !== base.authority) return null;
    const prefix = withSlash(base.path);
    if (this.path === base.path || this.path === prefix) return "";
    return this.path.startsWith(prefix) ? this.path.slice(prefix.length) : null;
  }

  /** Whether this URI is the directory `base` or inside it. */
  isUnder(base: ResourceUri): boolean {
    return this.relativeTo(base) !== null;
  }

  /** The same URI with another fragment (`null` or `""` for none). */
  withFragment(fragment: string | null): ResourceUri {
    return new ResourceUri(this.scheme, this.authority, this.path, fragment);
  }

  /** The same URI without a fragment. */
  withoutFragment(): ResourceUri {
    return this.fragment === null ? this : this.withFragment(null);
  }

  /** Whether both name the same place with the same fragment. */
  equals(other: ResourceUri): boolean {
    return (
      this.scheme === other.scheme &&
      this.authority === other.authority &&
      this.path === other.path &&
      this.fragment === other.fragment
    );
  }

  /** The canonical text, path percent-encoded as Python's `quote` does: `file:///a/b%20c#frag`. */
  toString(): string {
    const path = this.path.split("/").map(encodeSegment).join("/");
    return `${this.scheme}://${this.authority}${path}${this.fragment === null ? "" : `#${this.fragment}`}`;
  }

  private static parseUri(text: string, scheme: string): ResourceUri {
    const [body, fragment] = splitAt(text, text.indexOf("#"));
    const rest = body.slice(scheme.length + 3);
    if (rest.includes("?")) {
      throw new StorageError(`Cannot parse "${text}": query strings are not supported`, text, {
        hint: 'Percent-encode a "?" that belongs to the path as "%3F"',
      });
    }
    const slash = rest.indexOf("/");
    const authority = slash === -1 ? rest : rest.slice(0, slash);
    const path = decode(slash === -1 ? "/" : rest.slice(slash), text);
    if (!AUTHORITY.test(authority)) {
      throw new StorageError(`Cannot parse "${text}": "${authority}" is not a valid host or bucket`, text, {
        hint: 'Check the host or bucket name; the path starts at the first "/" after it',
      });
    }
    if (scheme === "file" && authority !== "" && authority !== "localhost") {
      throw new StorageError(`Cannot parse "${text}": file URIs on another host are not supported`, text, {
        hint: 'Write a local file as "file:///absolute/path"',
      });
    }
    if (NEEDS_AUTHORITY.has(scheme) && authority === "") {
      throw new StorageError(`Cannot parse "${text}": "${scheme}" URIs need a bucket or host`, text, {
        hint: `Write it as "${scheme}://name/path"`,
      });
    }
    return ResourceUri.create(scheme, scheme === "file" ? "" : authority, path, fragment, text);
  }

  /** A URI with `path` made absolute and normal: `.`, `..` and empty segments resolved, never above `/`. */
  private static create(
    scheme: string,
    authority: string,
    path: string,
    fragment: string | null,
    source: string,
  ): ResourceUri {
    if (LONE_SURROGATE.test(path)) {
      throw new StorageError(
        `Cannot use "${source}" as a path: it holds an unpaired UTF-16 surrogate`,
        source,
      );
    }
    const segments: string[] = [];
    const parts = path.split("/");
    for (const part of parts) {
      if (part === "..") segments.pop();
      else if (part !== "" && part !== ".") segments.push(part);
    }
    const last = parts[parts.length - 1];
    const directory = last === "" || last === "." || last === "..";
    const normal = segments.length === 0 ? "/" : `/${segments.join("/")}${directory ? "/" : ""}`;
    return new ResourceUri(scheme, authority, normal, fragment);
  }
}

/** `text` cut at `index` into what comes before and after it (null after when `index` is -1). */
function splitAt(text: string, index: number): [string, string | null] {
  return index < 0 ? [text, null] : [text.slice(0, index), text.slice(index + 1)];
}

function decode(text: string, source: string): string {
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch (cause) {
      throw new StorageError(`Cannot parse "${source}": "${run}" is not UTF-8 percent-encoding`, source, {
        cause,
        hint: 'Write a literal "%" as "%25"',
      });
    }
  });
}

function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function withSlash(path: string): string {
  return path.endsWith("/") ? path : `${path}/`;
}
