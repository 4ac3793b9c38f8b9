import { InvalidQueryError } from "../../../errors.ts";
import { and, type Predicate, TRUE } from "../../../query/tree/expressions.ts";
import type { QuerySpec } from "../../../query/tree/query-tree.ts";
import type { SqlQueryDriver } from "./sql-query-driver.ts";

/** The spec's rows under another predicate, with no ordering or paging (what "any row?" asks). */
function withPredicate(spec: QuerySpec, predicate: Predicate): QuerySpec {
  const { limit: _limit, offset: _offset, ...result } = spec.result;
  return { tree: { ...spec.tree, predicate }, result: { ...result, orderBy: [] } };
}

/**
 * Whether a reduced query has rows; undefined when it cannot be asked (a skypix dimension whose values
 * came from the term that was dropped).
 */
async function hasRows(driver: SqlQueryDriver, spec: QuerySpec): Promise<boolean | undefined> {
  try {
    return await driver.any(spec);
  } catch (error) {
    if (error instanceof InvalidQueryError) return undefined;
    throw error;
  }
}

function conjuncts(predicate: Predicate): readonly Predicate[] {
  if (predicate.kind === "and") return predicate.operands;
  return predicate.kind === "literal" && predicate.value ? [] : [predicate];
}

function describe(predicate: Predicate): string {
  return (
    predicate.text ?? (predicate.kind === "literal" ? String(predicate.value).toUpperCase() : predicate.kind)
  );
}

/** "No dataset of type bias in collection imported_g", "No {visit, detector} data ID", "No detector record". */
function subject(spec: QuerySpec, searched: ReadonlyMap<string, readonly string[]>): string {
  switch (spec.result.kind) {
    case "datasets": {
      const collections = searched.get(spec.result.datasetType) ?? [];
      const where =
        collections.length === 1 ? `collection ${collections[0]}` : `collections [${collections.join(", ")}]`;
      return `No dataset of type ${spec.result.datasetType} in ${where}`;
    }
    case "dataIds":
      return `No {${spec.result.dimensions.join(", ")}} data ID`;
    case "dimensionRecords":
      return `No ${spec.result.element} record`;
  }
}

/**
 * Why a query has no rows, from what the query itself says rather than guesses: collections skipped by
 * their summaries; then, running reduced queries (each LIMIT 1), a dataset search that is empty on its
 * own, a `where` term that no row satisfies on its own, or the first term that empties the result when
 * ANDed to the ones before it; then an offset past the last row. Empty when the query has rows.
 */
export async function explainNoResults(spec: QuerySpec, driver: SqlQueryDriver): Promise<string[]> {
  if (await driver.any(spec)) return [];
  const { searchPaths, compiled } = await driver.prepare(spec);
  const reasons: string[] = [];
  for (const [name, path] of searchPaths) {
    reasons.push(...path.skipped);
    if (path.flattened.length === 0)
      reasons.push(`Search for dataset type '${name}' in [] is doomed to fail: no collections to search.`);
    else if (path.collections.length === 0)
      return [
        ...reasons,
        `Search for dataset type '${name}' in [${path.flattened.map((c) => `'${c.name}'`).join(", ")}] is doomed to fail.`,
      ];
  }
  const searched = new Map(
    [...searchPaths].map(([name, path]) => [name, path.collections.map((c) => c.name)]),
  );
  const terms = conjuncts(spec.tree.predicate);
  if ((await hasRows(driver, withPredicate(spec, TRUE))) === false) {
    for (const search of spec.tree.datasets) {
      const alone: QuerySpec = {
        tree: { dimensions: [], datasets: [search], predicate: TRUE },
        result: { kind: "dataIds", dimensions: [], orderBy: [] },
      };
      if (!(await driver.any(alone))) {
        reasons.push(
          `No datasets of type ${search.datasetType} in collections [${(searched.get(search.datasetType) ?? []).join(", ")}].`,
        );
      }
    }
    // An empty dimension table empties every join with it.
    for (const element of compiled.dimensions.required) {
      if (!driver.universe.element(element).hasOwnTable) continue;
      const records: QuerySpec = {
        tree: { dimensions: [], datasets: [], predicate: TRUE },
        result: { kind: "dimensionRecords", element, orderBy: [] },
      };
      if (!(await driver.any(records))) reasons.push(`There are no ${element} records in the repository.`);
    }
    if (reasons.length === 0)
      reasons.push(
        `${subject(spec, searched)} exists, whatever the 'where' expression says: the dimension tables (and dataset searches) have no rows in common.`,
      );
    return reasons;
  }
  const lead = subject(spec, searched);
  for (const term of terms) {
    if ((await hasRows(driver, withPredicate(spec, term))) === false)
      reasons.push(`${lead} matches ${describe(term)}.`);
  }
  if (reasons.some((r) => r.startsWith(lead))) return reasons;
  for (let n = 2; n <= terms.length; n++) {
    const combined = terms.slice(0, n);
    if ((await hasRows(driver, withPredicate(spec, and(...combined)))) === false) {
      reasons.push(
        `${lead} matches ${combined.map(describe).join(" AND ")} together, though each alone matches something.`,
      );
      return reasons;
    }
  }
  if ((spec.result.offset ?? 0) > 0) {
    reasons.push(
      `The offset ${spec.result.offset} skips all ${await driver.count(withPredicate(spec, spec.tree.predicate))} matching rows.`,
    );
  }
  return reasons;
}
