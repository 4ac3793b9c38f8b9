import type { DimensionElement } from "../../../dimensions/elements.ts";
import type { DimensionGroup } from "../../../dimensions/group.ts";
import { TopologicalFamily } from "../../../dimensions/topology.ts";
import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import { InvalidQueryError, UnimplementedQueryError } from "../../../errors.ts";
import { and, type Predicate, type ValueExpression } from "../../../query/tree/expressions.ts";

/** Two elements (or skypix dimensions) whose regions must overlap in every row. */
export type SpatialJoin = readonly [DimensionElement, DimensionElement];

/** How a query's spatial families are joined, and what is left of its predicate. */
export interface SpatialPlan {
  /** Automatic joins and the predicate's top-level `a.region OVERLAPS b.region` terms. */
  readonly joins: readonly SpatialJoin[];
  /** The predicate without those terms. */
  readonly predicate: Predicate;
}

/** The element whose `region` a value reads, if it is a region column. */
export function regionElementName(value: ValueExpression): string | undefined {
  return value.kind === "column" && value.type === "region" && value.column.kind === "field"
    ? value.column.element
    : undefined;
}

/** Whether a predicate tests regions anywhere (`OVERLAPS` between regions). */
export function hasSpatialTerm(predicate: Predicate): boolean {
  switch (predicate.kind) {
    case "and":
    case "or":
      return predicate.operands.some(hasSpatialTerm);
    case "not":
      return hasSpatialTerm(predicate.operand);
    case "overlaps":
      return predicate.left.type === "region";
    default:
      return false;
  }
}

/** The name a family goes by in the plan: a topological family's, or the skypix dimension's own. */
function nodeOf(element: DimensionElement): string {
  return element.spatial instanceof TopologicalFamily ? element.spatial.name : element.name;
}

/** The spatial nodes of a group: the finest member of each family present, and each skypix dimension. */
function nodesOf(group: DimensionGroup): Map<string, DimensionElement> {
  const nodes = new Map<string, DimensionElement>();
  for (const name of group.skypix) nodes.set(name, group.universe.element(name));
  for (const family of group.spatial) {
    if (!(family instanceof TopologicalFamily)) continue;
    const member = family.choose(group);
    if (member !== undefined) nodes.set(family.name, member);
  }
  return nodes;
}

/** Union-find over node names. */
class Components {
  readonly #parent = new Map<string, string>();

  add(name: string): void {
    if (!this.#parent.has(name)) this.#parent.set(name, name);
  }

  find(name: string): string {
    let root = name;
    while (this.#parent.get(root) !== root) root = this.#parent.get(root) as string;
    this.#parent.set(name, root);
    return root;
  }

  union(a: string, b: string): void {
    this.#parent.set(this.find(a), this.find(b));
  }

  groups(): string[][] {
    const byRoot = new Map<string, string[]>();
    for (const name of this.#parent.keys()) {
      const root = this.find(name);
      byRoot.set(root, [...(byRoot.get(root) ?? []), name]);
    }
    return [...byRoot.values()];
  }
}

/**
 * The elements of an `a.region OVERLAPS b.region` term.
 * @throws {InvalidQueryError} when both are of one family.
 */
function regionJoin(a: string, b: string, universe: DimensionUniverse): SpatialJoin {
  const [left, right] = [universe.element(a), universe.element(b)];
  if (nodeOf(left) === nodeOf(right)) {
    throw new InvalidQueryError(`Spatial join between ${a} and ${b} is not necessary.`, {
      hint: `${a} and ${b} describe the same regions at different granularity (family ${nodeOf(left)}); remove the OVERLAPS term.`,
    });
  }
  return [left, right];
}

/** The region joins inside a predicate (under AND, OR and NOT). */
function nestedJoins(predicate: Predicate, universe: DimensionUniverse): SpatialJoin[] {
  switch (predicate.kind) {
    case "and":
    case "or":
      return predicate.operands.flatMap((p) => nestedJoins(p, universe));
    case "not":
      return nestedJoins(predicate.operand, universe);
    case "overlaps": {
      const [a, b] = [regionElementName(predicate.left), regionElementName(predicate.right)];
      return a === undefined || b === undefined ? [] : [regionJoin(a, b, universe)];
    }
    default:
      return [];
  }
}

/**
 * daf_butler's spatial join rules (spec §3.7): families are connected by
 * `a.region OVERLAPS b.region` terms (made joins at the top level, tests under OR and NOT) and by dataset searches whose dimensions span several families
 * (the dataset embodies their relation); if exactly two unconnected families remain, their finest members
 * present are joined automatically.
 * @param operandGroups the dimensions of each dataset search joined into the query.
 * @throws {InvalidQueryError} for an explicit join within one family, more than two unconnected sets of
 *   families, or an ambiguous automatic join.
 */
export function planSpatialJoins(
  group: DimensionGroup,
  predicate: Predicate,
  operandGroups: readonly DimensionGroup[],
): SpatialPlan {
  const universe = group.universe;
  const nodes = nodesOf(group);
  const components = new Components();
  for (const name of nodes.keys()) components.add(name);
  const joins: SpatialJoin[] = [];
  const rest: Predicate[] = [];
  for (const term of predicate.kind === "and" ? predicate.operands : [predicate]) {
    const a = term.kind === "overlaps" ? regionElementName(term.left) : undefined;
    const b = term.kind === "overlaps" ? regionElementName(term.right) : undefined;
    if (a === undefined || b === undefined) {
      rest.push(term);
      continue;
    }
    const join = regionJoin(a, b, universe);
    const [left, right] = join;
    joins.push(join);
    components.add(nodeOf(left));
    components.add(nodeOf(right));
    components.union(nodeOf(left), nodeOf(right));
  }
  // A region join under OR or NOT still says how the families relate (`NOT a.region OVERLAPS b.region`
  // asks for the pairs that do not overlap): no automatic join may be added beside it.
  for (const term of rest)
    for (const [left, right] of nestedJoins(term, universe)) {
      components.add(nodeOf(left));
      components.add(nodeOf(right));
      components.union(nodeOf(left), nodeOf(right));
    }
  for (const operand of operandGroups) {
    const names = [...nodesOf(operand).keys()].filter((name) => nodes.has(name));
    for (const name of names.slice(1)) components.union(names[0] as string, name);
  }
  const sets = components.groups();
  if (sets.length > 2) {
    throw new InvalidQueryError(
      `Too many disconnected sets of spatial families for an automatic join: ${sets.map((s) => `{${s.join(", ")}}`).join(", ")}.`,
      {
        hint: "Add explicit spatial joins, e.g. `visit.region OVERLAPS patch.region`, or drop a dimension.",
      },
    );
  }
  if (sets.length === 2) {
    const [first, second] = sets as [string[], string[]];
    if (first.length > 1 || second.length > 1) {
      throw new InvalidQueryError(
        `Ambiguous automatic spatial join between {${first.join(", ")}} and {${second.join(", ")}}.`,
        { hint: "Say which regions must overlap with an explicit `a.region OVERLAPS b.region` term." },
      );
    }
    joins.push([nodes.get(first[0] as string), nodes.get(second[0] as string)] as SpatialJoin);
  }
  return { joins, predicate: and(...rest) };
}

/** Where a query's skypix values come from. */
export interface SkyPixSources {
  /** Spatial joins made in SQL, through the overlap tables. */
  readonly sqlJoins: readonly SpatialJoin[];
  /** Skypix dimensions the refinement generates, each from an element's region or a literal's hex. */
  readonly expanded: ReadonlyMap<string, DimensionElement | string>;
}

/**
 * Skypix dimensions have no table. Their values come from a dataset search that has them, from the
 * common skypix overlap tables when joined to an element, or are generated from the region of the
 * element they are joined to (another level) or of a top-level `htm9.region OVERLAPS <literal>` term.
 * @param searchedDimensions the dimensions of the query's dataset searches.
 * @throws {InvalidQueryError} for a skypix dimension with none of these.
 * @throws {UnimplementedQueryError} for a skypix dimension of a dataset search joined to a region at
 *   another level than the common one, or two skypix dimensions joined together.
 */
export function skyPixSources(
  group: DimensionGroup,
  plan: SpatialPlan,
  searchedDimensions: Iterable<string>,
): SkyPixSources {
  const common = group.universe.commonSkyPix.name;
  const searched = new Set(searchedDimensions);
  const expanded = new Map<string, DimensionElement | string>();
  const sqlJoins = [...plan.joins];
  const terms = plan.predicate.kind === "and" ? plan.predicate.operands : [plan.predicate];
  for (const name of group.skypix) {
    const join = plan.joins.find((j) => j.some((e) => e.name === name));
    if (searched.has(name) || (name === common && join !== undefined)) continue;
    const partner = join?.find((e) => e.name !== name);
    if (join !== undefined && partner !== undefined && !group.skypix.includes(partner.name)) {
      expanded.set(name, partner);
      sqlJoins.splice(sqlJoins.indexOf(join), 1);
      continue;
    }
    const literal = terms.find(
      (t) =>
        t.kind === "overlaps" &&
        regionElementName(t.left) === name &&
        t.right.kind === "literal" &&
        t.right.type === "region",
    );
    if (join === undefined && literal?.kind === "overlaps") {
      expanded.set(name, (literal.right as { value: string }).value);
      continue;
    }
    if (join !== undefined)
      throw new UnimplementedQueryError(
        `Spatial joins between skypix dimensions (${join.join(", ")}) are not supported`,
      );
    throw new InvalidQueryError(
      `The values of ${name} come from a region it overlaps, and this query has none`,
      {
        hint: `Add a dimension with a region (visit, detector, tract, patch, ...) to the query, or \`${name}.region OVERLAPS CIRCLE(ra, dec, r)\`.`,
      },
    );
  }
  return { sqlJoins, expanded };
}
