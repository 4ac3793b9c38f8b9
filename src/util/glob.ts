/** Whether `text` contains glob pattern characters (`*`, `?`, `[`). */
export function isGlob(text: string): boolean {
  return /[*?[]/.test(text);
}

/**
 * A regular expression matching a whole string against a shell-style pattern: `*` any run, `?` one
 * character, `[abc]`/`[!abc]` a class; everything else literal (as daf_butler's collection expressions).
 */
export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) {
        source += "\\[";
        continue;
      }
      let body = pattern.slice(i + 1, close);
      const negate = body.startsWith("!");
      if (negate) body = body.slice(1);
      source += `[${negate ? "^" : ""}${body.replace(/[\\\]^]/g, "\\$&")}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

/** Names matching any of the patterns (all names when there are none), in their given order. */
export function matchGlobs(names: Iterable<string>, patterns: readonly string[]): string[] {
  const all = [...names];
  if (patterns.length === 0) return all;
  const expressions = patterns.map(globToRegExp);
  return all.filter((name) => expressions.some((e) => e.test(name)));
}
