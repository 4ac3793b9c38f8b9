import type { ColumnChunk, RowGroup } from "hyparquet";
import { compareValues, type FilterTerm, type RowFilter } from "../../../tables/row-filter.ts";
import type { ParquetFooter } from "./parquet-footer.ts";
import type { RowRange } from "./parquet-table-reader.ts";

/**
 * The row ranges of the row groups that may hold rows a filter keeps, judged by the min/max statistics
 * of their column chunks (numeric ones only: string statistics may be truncated); adjacent ones merged.
 */
export function rowRangesMatching(footer: ParquetFooter, filter: RowFilter): RowRange[] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (const group of footer.metadata.row_groups) {
    const end = start + Number(group.num_rows);
    if (filter.clauses.some((clause) => clause.every((term) => mayHold(group, term)))) {
      const last = ranges.at(-1);
      if (last !== undefined && last[1] === start) last[1] = end;
      else ranges.push([start, end]);
    }
    start = end;
  }
  return ranges;
}

/** Whether some row of a row group may satisfy a term, by its column chunk's statistics. */
function mayHold(group: RowGroup, [column, operator, operand]: FilterTerm): boolean {
  const chunk = group.columns.find((c: ColumnChunk) => c.meta_data?.path_in_schema.join(".") === column);
  const statistics = chunk?.meta_data?.statistics;
  if (statistics === undefined) return true;
  if (statistics.null_count !== undefined && statistics.null_count === chunk?.meta_data?.num_values) {
    return false;
  }
  const min = numeric(statistics.min_value ?? statistics.min);
  const max = numeric(statistics.max_value ?? statistics.max);
  if (min === undefined || max === undefined) return true;
  const within = (value: unknown): boolean =>
    (compareValues(min, value) ?? -1) <= 0 && (compareValues(max, value) ?? 1) >= 0;
  switch (operator) {
    case "=":
    case "==":
      return within(operand);
    case "in":
      return (operand as unknown[]).some(within);
    case "<":
      return (compareValues(min, operand) ?? -1) < 0;
    case "<=":
      return (compareValues(min, operand) ?? -1) <= 0;
    case ">":
      return (compareValues(max, operand) ?? 1) > 0;
    case ">=":
      return (compareValues(max, operand) ?? 1) >= 0;
    default:
      return true;
  }
}

function numeric(value: unknown): number | bigint | undefined {
  return typeof value === "number" || typeof value === "bigint" ? value : undefined;
}
