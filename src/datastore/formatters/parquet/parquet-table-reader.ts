import type { Compressors, SchemaElement } from "hyparquet";
import { FormatterError } from "../../../errors.ts";
import { columnFromValues } from "../../../tables/column-type.ts";
import { makeTable, type Table } from "../../../tables/table.ts";
import { type ColumnSchema, makeTableSchema, type TableSchema } from "../../../tables/table-schema.ts";
import type { ByteSource } from "../formatter.ts";
import { loadArrow } from "./arrow-module.ts";
import { decodeArrowSchema } from "./arrow-schema.ts";
import { columnTypeOfElement } from "./parquet-column-types.ts";
import { asyncBufferOf, type ParquetFooter } from "./parquet-footer.ts";
import { importParquetModule } from "./parquet-modules.ts";
import { ARROW_SCHEMA_KEY, TABLE_META_YAML } from "./table-key-values.ts";
import { readTableMetaYaml, type TableMetaYaml } from "./table-meta-yaml.ts";

/** The top-level fields of a Parquet file's schema, in order (nested ones with their children skipped). */
export function topLevelElements(footer: ParquetFooter): SchemaElement[] {
  const schema = footer.metadata.schema;
  const fields: SchemaElement[] = [];
  let i = 1;
  while (i < schema.length) {
    const element = schema[i] as SchemaElement;
    fields.push(element);
    i = skip(schema, i);
  }
  return fields;
}

/** Index after the subtree at `i`. */
function skip(schema: readonly SchemaElement[], i: number): number {
  let next = i + 1;
  for (let child = 0; child < (schema[i]?.num_children ?? 0); child++) next = skip(schema, next);
  return next;
}

/**
 * The table schema in a Parquet file's footer, without reading data: column types from the Parquet
 * schema; units, descriptions, formats and metadata from astropy's `table_meta_yaml`, else units and
 * descriptions from the Arrow field metadata in `ARROW:schema`.
 * @throws {FormatterError} for a column of a type tables do not hold (only when `names` include it).
 */
export async function readParquetSchema(
  footer: ParquetFooter,
  names?: readonly string[],
  file?: string,
): Promise<TableSchema> {
  const header = readTableMetaYamlOf(footer);
  const arrowText = footer.keyValues.get(ARROW_SCHEMA_KEY);
  const arrowFields =
    header === undefined && arrowText !== undefined
      ? decodeArrowSchema(await loadArrow(), arrowText, file).fields
      : [];
  const elements = topLevelElements(footer);
  const wanted = names ?? elements.map((e) => e.name);
  const columns = wanted.map((name): ColumnSchema => {
    const element = elements.find((e) => e.name === name) as SchemaElement;
    const type = columnTypeOfElement(element);
    if (type === undefined) {
      const kind = element.logical_type?.type ?? element.converted_type ?? element.type ?? "a nested type";
      throw new FormatterError(`Cannot read column "${name}": butler-ts tables cannot hold Parquet ${kind}`, {
        ...(file === undefined ? {} : { file }),
        hint: "Read the other columns with the columns parameter.",
      });
    }
    const fromYaml = header?.columns.get(name);
    if (fromYaml !== undefined) {
      const { datatype: _datatype, ...attributes } = fromYaml;
      return { ...attributes, type };
    }
    const metadata = arrowFields.find((field) => field.name === name)?.metadata;
    const unit = metadata?.get("unit");
    const description = metadata?.get("description");
    return { name, type, ...(unit ? { unit } : {}), ...(description ? { description } : {}) };
  });
  return makeTableSchema(columns, header?.meta ?? {});
}

function readTableMetaYamlOf(footer: ParquetFooter): TableMetaYaml | undefined {
  const text = footer.keyValues.get(TABLE_META_YAML);
  return text === undefined ? undefined : readTableMetaYaml(text);
}

let compressors: Compressors | undefined;

/** A half-open range of rows `[start, end)`. */
export type RowRange = readonly [number, number];

/**
 * The named columns of the Parquet file in `source` as a table, reading only the footer and those
 * columns' chunks (ZSTD, GZIP, BROTLI and LZ4 too, with hyparquet-compressors); only the rows of `ranges`
 * when given (whole row groups, after pruning), in order.
 * @throws {FormatterError} for a column tables cannot hold, or data that cannot be decoded.
 */
export async function readParquetTable(
  source: ByteSource,
  footer: ParquetFooter,
  names: readonly string[],
  file?: string,
  ranges?: readonly RowRange[],
): Promise<Table> {
  const schema = await readParquetSchema(footer, names, file);
  const total = Number(footer.metadata.num_rows);
  const wanted = (ranges ?? [[0, total] as const]).filter(([start, end]) => end > start);
  const rowcount = wanted.reduce((sum, [start, end]) => sum + end - start, 0);
  const chunks = new Map<string, Chunk[]>(names.map((n) => [n, []]));
  if (names.length > 0 && rowcount > 0) {
    const { parquetRead } = await importParquetModule("hyparquet", () => import("hyparquet"));
    compressors ??= (
      await importParquetModule("hyparquet-compressors", () => import("hyparquet-compressors"))
    ).compressors as Compressors;
    try {
      for (const [rowStart, rowEnd] of wanted) {
        await parquetRead({
          file: asyncBufferOf(source, footer.size),
          metadata: footer.metadata,
          columns: [...names],
          compressors,
          rowStart,
          rowEnd,
          onChunk: (chunk) => {
            chunks.get(chunk.columnName)?.push({ start: chunk.rowStart, data: chunk.columnData });
          },
        });
      }
    } catch (error) {
      throw new FormatterError(`Cannot read Parquet data: ${(error as Error).message}`, {
        cause: error,
        ...(file === undefined ? {} : { file }),
      });
    }
  }
  return makeTable({
    rowcount,
    meta: schema.meta,
    columns: schema.columns.map((column) => {
      const parts = chunks.get(column.name) ?? [];
      const whole = parts.length === 1 && parts[0]?.start === 0 && parts[0].data.length === rowcount;
      const values = whole ? (parts[0]?.data as ArrayLike<unknown>) : assemble(parts, wanted, rowcount);
      return { ...column, ...columnFromValues(column.type, values) };
    }),
  });
}

interface Chunk {
  readonly start: number;
  readonly data: ArrayLike<unknown>;
}

/** The values of the rows of `ranges`, in order, from chunks at absolute row positions. */
function assemble(parts: readonly Chunk[], ranges: readonly RowRange[], rowcount: number): unknown[] {
  const values: unknown[] = new Array(rowcount).fill(null);
  let offset = 0;
  for (const [start, end] of ranges) {
    for (const part of parts) {
      const from = Math.max(start, part.start);
      const to = Math.min(end, part.start + part.data.length);
      for (let row = from; row < to; row++) values[offset + row - start] = part.data[row - part.start];
    }
    offset += end - start;
  }
  return values;
}
