/**
 * What keeps a formatted template inside the datastore root, whatever the data ID values and run name.
 *
 * Per case, and why:
 * - `space < > : " \ | ? *` in a value become `_` (daf_butler does this): they are separators or wildcards
 *   on some file systems and shells, and a backslash is a separator on Windows.
 * - `/` in a value becomes `_` unless the field says `{run:/}`; kept slashes make directories, and the
 *   path is normalized afterwards (empty and `.` segments dropped, a leading `/` stripped), as daf_butler
 *   does, so `/etc/passwd` as a run lands in `etc/passwd/...` under the root.
 * - Look-alike separators become `_`: characters whose NFKC form holds `/`, `\` or `.` (fullwidth
 *   solidus, fullwidth full stop, `‥`) and those without a decomposition that render or "best-fit" convert
 *   to a separator (division slash, fraction slash, big solidus, set minus, yen and won signs that Windows
 *   code pages map to `\`). They are not separators here, but a layer that normalizes Unicode or converts
 *   to a code page could turn them into one; `_` keeps the value readable, as daf_butler's own
 *   replacements do.
 * - A `..` segment anywhere in the result is refused, never resolved: daf_butler's `normpath` would
 *   resolve `a/../b` to `b`, silently writing over another dataset's path or leaving the root.
 * - Control characters (C0 with NUL, DEL, C1), line and paragraph separators, bidirectional overrides and
 *   unpaired surrogates are refused: no dimension value or run legitimately holds them, a NUL truncates
 *   paths in C APIs, a newline breaks line-based tools and logs, a bidi override makes a listed path lie
 *   about its name, and an unpaired surrogate has no UTF-8 form (it would become U+FFFD, merging names).
 */

const REPLACED = /[ <>:"\\|?*]/g;
const REPLACED_WITH_SLASH = /[ <>:"\\|?*/]/g;
const SEPARATOR_AFTER_NFKC = /[./\\]/;

/** Separator look-alikes that NFKC leaves alone. */
const LOOKALIKES: ReadonlySet<string> = new Set([
  "\u2215", // DIVISION SLASH
  "\u2044", // FRACTION SLASH
  "\u29f8", // BIG SOLIDUS
  "\u29f9", // BIG REVERSE SOLIDUS
  "\u2216", // SET MINUS
  "\u29f5", // REVERSE SOLIDUS OPERATOR
  "\u2571", // BOX DRAWINGS LIGHT DIAGONAL UPPER RIGHT TO LOWER LEFT
  "\u2572", // BOX DRAWINGS LIGHT DIAGONAL UPPER LEFT TO LOWER RIGHT
  "\u27cb", // MATHEMATICAL RISING DIAGONAL
  "\u27cd", // MATHEMATICAL FALLING DIAGONAL
  "\u0337", // COMBINING SHORT SOLIDUS OVERLAY
  "\u0338", // COMBINING LONG SOLIDUS OVERLAY
  "\u00a5", // YEN SIGN: `\` in Japanese code pages
  "\u20a9", // WON SIGN: `\` in Korean code pages
]);

/**
 * The first character of `value` that may never go into a path, as `U+0000`, or null when there is none.
 */
export function forbiddenCharacter(value: string): string | null {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code >= 0x20 && code < 0x7f) continue;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return codePoint(code);
    }
    if (
      code <= 0x9f ||
      code === 0x2028 ||
      code === 0x2029 ||
      (code >= 0x202a && code <= 0x202e) ||
      (code >= 0x2066 && code <= 0x2069) ||
      (code >= 0xdc00 && code <= 0xdfff)
    ) {
      return codePoint(code);
    }
  }
  return null;
}

function codePoint(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;
}

/**
 * `value` with every character that could act as (or pass for) a separator or wildcard replaced by `_`;
 * `/` is kept when `keepSlash`. Assumes {@link forbiddenCharacter} found nothing.
 */
export function sanitizeValue(value: string, keepSlash: boolean): string {
  const replaced = value.replace(keepSlash ? REPLACED : REPLACED_WITH_SLASH, "_");
  if (!hasNonAscii(replaced)) return replaced;
  let result = "";
  for (const char of replaced) {
    const lookalike =
      char.charCodeAt(0) > 0x7f &&
      (LOOKALIKES.has(char) || SEPARATOR_AFTER_NFKC.test(char.normalize("NFKC")));
    result += lookalike ? "_" : char;
  }
  return result;
}

/** Why a formatted template gives no usable path: a `..` segment, or nothing left after normalizing. */
export interface PathProblem {
  readonly problem: "parent" | "empty";
}

const PARENT: PathProblem = Object.freeze({ problem: "parent" });
const EMPTY: PathProblem = Object.freeze({ problem: "empty" });

/**
 * daf_butler's post-processing of a formatted template: in the file name (after the last `/`) `.` becomes
 * `_` and `#` becomes `HASH`; then the path is normalized (empty and `.` segments dropped, which also
 * strips a leading `/`). Returns the relative path, or the problem: a `..` segment or nothing left.
 */
export function finishPath(output: string): string | PathProblem {
  const slash = output.lastIndexOf("/");
  const name = output
    .slice(slash + 1)
    .replaceAll(".", "_")
    .replaceAll("#", "HASH");
  const kept: string[] = [];
  for (const segment of `${output.slice(0, slash + 1)}${name}`.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") return PARENT;
    kept.push(segment);
  }
  return kept.length === 0 ? EMPTY : kept.join("/");
}

function hasNonAscii(value: string): boolean {
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return true;
  return false;
}
