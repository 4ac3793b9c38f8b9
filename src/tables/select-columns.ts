import { UnknownColumnError } from "../errors.ts";
import { globToRegExp, isGlob } from "../util/glob.ts";

/**
 * The names that a `columns` selection picks from `available`, as daf_butler's Parquet formatter picks
 * them: each entry a name or a case-sensitive glob (`*`, `?`, `[...]`), every entry matching at least one
 * column; the result in the order of the entries, each column once.
 * @throws {UnknownColumnError} for an entry matching no column, listing the columns there are.
 */
export function selectColumns(
  available: readonly string[],
  selection: string | readonly string[],
  file?: string,
): string[] {
  const patterns = typeof selection === "string" ? [selection] : selection;
  const picked = new Set<string>();
  for (const pattern of patterns) {
    if (typeof pattern !== "string") {
      throw new UnknownColumnError(String(pattern), available, file === undefined ? {} : { file });
    }
    const matches = isGlob(pattern)
      ? available.filter((name) => globToRegExp(pattern).test(name))
      : available.filter((name) => name === pattern);
    if (matches.length === 0) {
      throw new UnknownColumnError(pattern, available, file === undefined ? {} : { file });
    }
    for (const name of matches) picked.add(name);
  }
  return [...picked];
}
