import type { ColumnType } from "./column-type.ts";

/** A column of a {@link TableSchema}: everything of a column but its values. */
export interface ColumnSchema {
  readonly name: string;
  readonly type: ColumnType;
  readonly unit?: string | undefined;
  readonly description?: string | undefined;
  readonly format?: string | undefined;
  readonly meta?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * The schema of a table without its rows: daf_butler's `ArrowAstropySchema`, `ArrowNumpySchema` and
 * `DataFrameSchema` (the `schema` component of table datasets). Frozen.
 */
export interface TableSchema {
  readonly columns: readonly ColumnSchema[];
  readonly meta: Readonly<Record<string, unknown>>;
}

/** A frozen schema. */
export function makeTableSchema(
  columns: readonly ColumnSchema[],
  meta: Readonly<Record<string, unknown>> = {},
): TableSchema {
  return Object.freeze({
    columns: Object.freeze(columns.map((c) => Object.freeze({ ...c }))),
    meta: Object.freeze({ ...meta }),
  });
}

/** Whether `object` is a {@link TableSchema}. */
export function isTableSchema(object: unknown): object is TableSchema {
  if (object === null || typeof object !== "object") return false;
  const { columns, meta } = object as Partial<TableSchema>;
  return (
    !("rowcount" in object) &&
    Array.isArray(columns) &&
    typeof meta === "object" &&
    meta !== null &&
    columns.every((c) => typeof c?.name === "string" && typeof c?.type === "string")
  );
}
