import { type DimensionElement, SkyPixDimension } from "../../../dimensions/elements.ts";
import { pixelizationOf } from "../../../dimensions/skypix-pixelization.ts";
import type { DimensionUniverse } from "../../../dimensions/universe.ts";
import { UnimplementedQueryError } from "../../../errors.ts";
import { regionOfLiteral } from "../../../query/region-literal.ts";
import { columnsOfPredicate, type Predicate, type ValueExpression } from "../../../query/tree/expressions.ts";
import { type PixelRange, pixelsIn } from "../../../sphgeom/pixel-ranges.ts";
import type { SqlDialect } from "../database.ts";
import type { KeyRange, RefineTest, RegionOperand } from "./refinement.ts";
import { hasSpatialTerm, regionElementName, type SpatialJoin } from "./spatial-joins.ts";
import type { ParameterList } from "./sql-fragment.ts";

/** Most pixel ranges a literal region's candidate condition lists (more are merged, never dropped). */
const MAX_LITERAL_RANGES = 64;
/** Most pixels a literal region's candidate condition lists one by one (beyond, it looks up each range). */
const MAX_LISTED_PIXELS = 1000;

/** What spatial SQL needs of the query under construction. */
export interface SpatialContext {
  readonly universe: DimensionUniverse;
  readonly dialect: SqlDialect;
  readonly params: ParameterList;
  /** SQL of a dimension's value in the query. */
  key(dimension: string): string;
  /** Alias of an element's joined table. */
  alias(element: string): string;
  /** Add a column to the query's rows; returns its output name. */
  select(sql: string, name: string): string;
  /** Skypix dimensions whose values the refinement generates, and the row column it puts them in. */
  readonly expanded: ReadonlyMap<string, string>;
  /** A finer level than the common one whose overlap rows the repository has, for region literals. */
  readonly fineSkyPix?: SkyPixDimension;
}

type Side = { readonly element: DimensionElement } | { readonly literal: string };

/**
 * Spatial parts of one query's SQL: overlap-table relations for spatial joins, candidate conditions for
 * region tests in the `where` (a superset of the rows that pass), and the exact tests the rows must then
 * pass ({@link RefineTest}), with the region columns those tests read added to the rows.
 */
export class SpatialSql {
  readonly #context: SpatialContext;
  readonly #operands = new Map<string, RegionOperand>();
  #conditions = 0;

  constructor(context: SpatialContext) {
    this.#context = context;
  }

  /**
   * The relation that joins a pair's regions through the common skypix overlap tables: the pairs of
   * elements sharing a pixel, or each element's pixels when one side is the common skypix dimension.
   * @throws {UnimplementedQueryError} for a skypix dimension other than the common one.
   */
  joinRelation([a, b]: SpatialJoin): { relation: string; columns: Map<string, string> } {
    const { quote } = this.#context.dialect;
    const common = this.#context.universe.commonSkyPix;
    for (const side of [a, b]) this.#checkSkyPix(side);
    const [table, other] = a instanceof SkyPixDimension ? [b, a] : [a, b];
    const columns = new Map<string, string>();
    const select: string[] = [];
    const keysOf = (element: DimensionElement, alias: string) => {
      for (const d of element.required) {
        const column = `${alias}_${d.name}`;
        select.push(`${alias}.${quote(d.name)} AS ${quote(column)}`);
        columns.set(d.name, column);
      }
    };
    const level = this.#levelCondition("o1");
    keysOf(table, "o1");
    if (other instanceof SkyPixDimension) {
      select.push(`o1.skypix_index AS ${quote(common.name)}`);
      columns.set(common.name, common.name);
      return {
        relation: `(SELECT ${select.join(", ")} FROM ${quote(overlapTable(table))} AS o1 WHERE ${level})`,
        columns,
      };
    }
    keysOf(other, "o2");
    const on = ["skypix_system", "skypix_level", "skypix_index"]
      .map((c) => `o2.${c} = o1.${c}`)
      .join(" AND ");
    return {
      relation: `(SELECT DISTINCT ${select.join(", ")} FROM ${quote(overlapTable(table))} AS o1 JOIN ${quote(overlapTable(other))} AS o2 ON ${on} WHERE ${level})`,
      columns,
    };
  }

  /** The exact test of a join: the two regions overlap. */
  joinTest([a, b]: SpatialJoin): RefineTest {
    return { kind: "overlaps", a: this.#operand({ element: a }), b: this.#operand({ element: b }) };
  }

  /** The region a skypix expansion starts from: an element's region column or a literal. */
  expansionSource(source: DimensionElement | string): RegionOperand {
    return this.#operand(typeof source === "string" ? { literal: source } : { element: source });
  }

  /** Whether a predicate reads a skypix dimension whose values only the refinement has. */
  readsExpanded(predicate: Predicate): boolean {
    return columnsOfPredicate(predicate).some(
      (c) =>
        (c.kind === "key" && this.#context.expanded.has(c.dimension)) ||
        (c.kind === "field" && this.#context.expanded.has(c.element)),
    );
  }

  /** Whether a predicate needs the exact test: it tests regions or reads generated skypix values. */
  refines(predicate: Predicate): boolean {
    return hasSpatialTerm(predicate) || this.readsExpanded(predicate);
  }

  /**
   * SQL for a region `OVERLAPS` term. Where `positive`, the condition holds for every row where the term
   * does (it keeps the candidates: the rows sharing a common-skypix pixel); under a NOT it must hold only
   * where the term does, and is false.
   * @throws {UnimplementedQueryError} for a skypix dimension other than the common one joined to an element.
   */
  candidate(left: ValueExpression, right: ValueExpression, positive: boolean): string {
    if (!positive) return "1 = 0";
    const [a, b] = [this.#side(left), this.#side(right)];
    if ("literal" in a && "literal" in b) throw new TypeError("OVERLAPS between two literals");
    if ("literal" in a || "literal" in b) {
      const [column, literal] = ("literal" in a ? [b, a] : [a, b]) as [
        { element: DimensionElement },
        { literal: string },
      ];
      return this.#literalCandidate(column.element, literal.literal);
    }
    return this.#pairCandidate(a.element, b.element);
  }

  /**
   * The exact test of a predicate holding region terms: each term as a region overlap, every largest part
   * without one as a selected SQL condition (compiled by `condition`).
   */
  test(predicate: Predicate, condition: (p: Predicate) => string): RefineTest {
    if (!this.refines(predicate)) {
      const sql = condition(predicate);
      const column = this.#context.select(
        `CASE WHEN ${sql} THEN 1 WHEN NOT ${sql} THEN 0 END`,
        `p_${this.#conditions++}`,
      );
      return { kind: "condition", column };
    }
    switch (predicate.kind) {
      case "and":
      case "or":
        return { kind: predicate.kind, operands: predicate.operands.map((p) => this.test(p, condition)) };
      case "not":
        return { kind: "not", operand: this.test(predicate.operand, condition) };
      case "overlaps":
        return {
          kind: "overlaps",
          a: this.#operand(this.#side(predicate.left)),
          b: this.#operand(this.#side(predicate.right)),
        };
      default:
        return this.#keyTest(predicate);
    }
  }

  /**
   * A generated skypix value compared with integers (`htm9 = 5`, `htm9 IN (1, 2..8)`, `htm9 < 100`), as
   * integer ranges.
   * @throws {UnimplementedQueryError} for any other use of a generated skypix value.
   */
  #keyTest(predicate: Predicate): RefineTest {
    const ranges = keyRanges(predicate, (value) => {
      if (value.kind !== "column" || value.column.kind !== "key") return undefined;
      return this.#context.expanded.get(value.column.dimension);
    });
    if (ranges === undefined) {
      throw new UnimplementedQueryError(
        `"${predicate.text ?? predicate.kind}" uses a skypix dimension whose values are computed from regions; only comparisons with integers are supported there`,
        {
          hint: "Compare the skypix dimension with integer literals (=, <, IN (...), a..b), or use its region with OVERLAPS.",
        },
      );
    }
    const [column, positive, list] = ranges;
    const test: RefineTest = { kind: "keyRanges", column, ranges: list };
    return positive ? test : { kind: "not", operand: test };
  }

  #side(value: ValueExpression): Side {
    const element = regionElementName(value);
    if (element !== undefined) return { element: this.#context.universe.element(element) };
    if (value.kind === "literal" && value.type === "region") return { literal: value.value as string };
    throw new TypeError("OVERLAPS operand is not a region column or literal");
  }

  /** The region a test reads for a side, adding its column to the rows once. */
  #operand(side: Side): RegionOperand {
    if ("literal" in side) return { kind: "literal", value: side.literal };
    const { element } = side;
    const existing = this.#operands.get(element.name);
    if (existing !== undefined) return existing;
    const expandedColumn = this.#context.expanded.get(element.name);
    const operand: RegionOperand =
      expandedColumn !== undefined
        ? { kind: "pixel", dimension: element.name, column: expandedColumn }
        : element instanceof SkyPixDimension
          ? {
              kind: "pixel",
              dimension: element.name,
              column: this.#context.select(this.#context.key(element.name), `sk_${element.name}`),
            }
          : {
              kind: "column",
              column: this.#context.select(
                `${this.#context.alias(element.name)}.${this.#context.dialect.quote("region")}`,
                `r_${element.name}`,
              ),
            };
    this.#operands.set(element.name, operand);
    return operand;
  }

  #literalCandidate(element: DimensionElement, literal: string): string {
    const { params, dialect } = this.#context;
    if (element instanceof SkyPixDimension) {
      const ranges = pixelizationOf(element).envelope(regionOfLiteral(literal), MAX_LITERAL_RANGES);
      return rangeCondition(this.#context.key(element.name), ranges, params);
    }
    // The finest level with overlap rows: a dense set of regions then gives fewer candidates.
    const level = this.#context.fineSkyPix ?? this.#context.universe.commonSkyPix;
    const ranges = pixelizationOf(level).envelope(regionOfLiteral(literal), MAX_LITERAL_RANGES);
    const keys = element.required.map((d) => d.name);
    const tuple = (names: string[]) => (names.length === 1 ? names[0] : `(${names.join(", ")})`);
    const selected = keys.map((k) => `o.${dialect.quote(k)}`);
    const select = (pixels: string) =>
      `SELECT ${selected.join(", ")} FROM ${dialect.quote(overlapTable(element))} AS o WHERE ${this.#levelCondition("o", level)} AND ${pixels}`;
    // Each lookup is a pixel list or a single range, which the pixel index serves; SQLite scans the whole
    // table for an OR of ranges.
    const pixelCount = ranges.reduce((n, [begin, end]) => n + end - begin, 0);
    const lookups =
      ranges.length === 0
        ? [select("1 = 0")]
        : pixelCount <= MAX_LISTED_PIXELS
          ? [
              select(
                `o.skypix_index IN (${pixelsIn(ranges)
                  .map((p) => params.add(p))
                  .join(", ")})`,
              ),
            ]
          : ranges.map(([begin, end]) =>
              select(`o.skypix_index >= ${params.add(begin)} AND o.skypix_index < ${params.add(end)}`),
            );
    return `(${tuple(keys.map((k) => this.#context.key(k)))} IN (${lookups.join(" UNION ALL ")}))`;
  }

  #pairCandidate(a: DimensionElement, b: DimensionElement): string {
    const { dialect } = this.#context;
    for (const side of [a, b]) this.#checkSkyPix(side);
    const [table, other] = a instanceof SkyPixDimension ? [b, a] : [a, b];
    const matches = (element: DimensionElement, alias: string) =>
      element.required.map((d) => `${alias}.${dialect.quote(d.name)} = ${this.#context.key(d.name)}`);
    const conditions = [this.#levelCondition("o1"), ...matches(table, "o1")];
    if (other instanceof SkyPixDimension) {
      conditions.push(`o1.skypix_index = ${this.#context.key(other.name)}`);
      return `EXISTS (SELECT 1 FROM ${dialect.quote(overlapTable(table))} AS o1 WHERE ${conditions.join(" AND ")})`;
    }
    const on = ["skypix_system", "skypix_level", "skypix_index"]
      .map((c) => `o2.${c} = o1.${c}`)
      .join(" AND ");
    conditions.push(...matches(other, "o2"));
    return `EXISTS (SELECT 1 FROM ${dialect.quote(overlapTable(table))} AS o1 JOIN ${dialect.quote(overlapTable(other))} AS o2 ON ${on} WHERE ${conditions.join(" AND ")})`;
  }

  #levelCondition(alias: string, level: SkyPixDimension = this.#context.universe.commonSkyPix): string {
    const { params } = this.#context;
    return `${alias}.skypix_system = ${params.add(level.system)} AND ${alias}.skypix_level = ${params.add(level.level)}`;
  }

  /** @throws {UnimplementedQueryError} for a skypix dimension that is not the common one. */
  #checkSkyPix(element: DimensionElement): void {
    const common = this.#context.universe.commonSkyPix;
    if (element instanceof SkyPixDimension && element !== common) {
      throw new UnimplementedQueryError(
        `Spatial joins with ${element.name} are not supported: only the common skypix dimension ${common.name} is joined to regions`,
        {
          hint: `Use ${common.name}, or constrain ${element.name} by values (\`${element.name} IN (...)\`) or by \`${element.name}.region OVERLAPS CIRCLE(...)\`.`,
        },
      );
    }
  }
}

/** Most values a strided range of generated skypix values may list. */
const MAX_LISTED_KEYS = 100_000;
const MIN_KEY = Number.MIN_SAFE_INTEGER;
const MAX_KEY = Number.MAX_SAFE_INTEGER;

/**
 * The integer ranges a comparison of one column with integer literals admits: the column's output name,
 * whether the ranges are admitted (false for `!=`) and the ranges; undefined for any other predicate.
 */
function keyRanges(
  predicate: Predicate,
  columnOf: (value: ValueExpression) => string | undefined,
): [string, boolean, KeyRange[]] | undefined {
  const integer = (value: ValueExpression): number | undefined =>
    value.kind === "literal" && typeof value.value === "number" ? value.value : undefined;
  const point = (v: number): KeyRange[] => (Number.isInteger(v) ? [[v, v + 1]] : []);
  switch (predicate.kind) {
    case "compare": {
      let [left, right, operator] = [predicate.left, predicate.right, predicate.operator];
      if (columnOf(left) === undefined) {
        [left, right] = [right, left];
        operator = ({ "<": ">", "<=": ">=", ">": "<", ">=": "<=" } as const)[operator as "<"] ?? operator;
      }
      const column = columnOf(left);
      const value = integer(right);
      if (column === undefined || value === undefined) return undefined;
      const ceil = Math.ceil(value);
      const floor = Math.floor(value);
      switch (operator) {
        case "=":
          return [column, true, point(value)];
        case "!=":
          return [column, false, point(value)];
        case "<":
          return [column, true, [[MIN_KEY, ceil]]];
        case "<=":
          return [column, true, [[MIN_KEY, floor + 1]]];
        case ">":
          return [column, true, [[floor + 1, MAX_KEY]]];
        case ">=":
          return [column, true, [[ceil, MAX_KEY]]];
      }
      return undefined;
    }
    case "in": {
      const column = columnOf(predicate.operand);
      const values = predicate.values.map(integer);
      if (column === undefined || values.some((v) => v === undefined)) return undefined;
      return [column, true, (values as number[]).flatMap(point)];
    }
    case "inRange": {
      const column = columnOf(predicate.operand);
      if (column === undefined) return undefined;
      if (predicate.step === 1) return [column, true, [[predicate.start, predicate.stop + 1]]];
      if ((predicate.stop - predicate.start) / predicate.step > MAX_LISTED_KEYS) return undefined;
      const list: KeyRange[] = [];
      for (let v = predicate.start; v <= predicate.stop; v += predicate.step) list.push([v, v + 1]);
      return [column, true, list];
    }
    default:
      return undefined;
  }
}

function overlapTable(element: DimensionElement): string {
  return `${element.name}_skypix_overlap`;
}

/** `column` within any of the half-open ranges (false when there are none). */
function rangeCondition(column: string, ranges: readonly PixelRange[], params: ParameterList): string {
  if (ranges.length === 0) return "1 = 0";
  const terms = ranges.map(([begin, end]) =>
    end - begin === 1
      ? `${column} = ${params.add(begin)}`
      : `(${column} >= ${params.add(begin)} AND ${column} < ${params.add(end)})`,
  );
  return `(${terms.join(" OR ")})`;
}
