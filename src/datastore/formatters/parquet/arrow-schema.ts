import type { DataType, Field, Schema } from "apache-arrow";
import { FormatterError } from "../../../errors.ts";
import type { ColumnType } from "../../../tables/column-type.ts";
import type { Table } from "../../../tables/table.ts";
import { type ColumnSchema, makeTableSchema, type TableSchema } from "../../../tables/table-schema.ts";
import type { ArrowModule } from "./arrow-module.ts";
import { TABLE_META_YAML, tableKeyValues } from "./table-key-values.ts";
import { readTableMetaYaml } from "./table-meta-yaml.ts";

// apache-arrow's Type enum values, so Arrow objects are read without importing the module.
const INT = 2;
const FLOAT = 3;
const UTF8 = 5;
const BOOL = 6;
const LARGE_UTF8 = 20;

/** Whether `object` looks like an apache-arrow Schema. */
export function isArrowSchema(object: unknown): object is Schema {
  const candidate = object as Partial<Schema> | null;
  return (
    typeof object === "object" &&
    object !== null &&
    Array.isArray(candidate?.fields) &&
    candidate.metadata instanceof Map &&
    typeof (candidate as { select?: unknown }).select === "function"
  );
}

/** The column type of an Arrow data type, or undefined for types tables do not hold. */
export function columnTypeOfArrow(type: DataType): ColumnType | undefined {
  const typed = type as DataType & { bitWidth?: number; isSigned?: boolean; precision?: number };
  switch (type.typeId) {
    case BOOL:
      return "bool";
    case UTF8:
    case LARGE_UTF8:
      return "string";
    case INT:
      return `${typed.isSigned ? "int" : "uint"}${typed.bitWidth}` as ColumnType;
    case FLOAT:
      return typed.precision === 1 ? "float32" : typed.precision === 2 ? "float64" : undefined;
    default:
      return undefined;
  }
}

function arrowTypeOf(arrow: ArrowModule, type: ColumnType): DataType {
  const types: Record<ColumnType, () => DataType> = {
    bool: () => new arrow.Bool(),
    int8: () => new arrow.Int8(),
    int16: () => new arrow.Int16(),
    int32: () => new arrow.Int32(),
    int64: () => new arrow.Int64(),
    uint8: () => new arrow.Uint8(),
    uint16: () => new arrow.Uint16(),
    uint32: () => new arrow.Uint32(),
    uint64: () => new arrow.Uint64(),
    float32: () => new arrow.Float32(),
    float64: () => new arrow.Float64(),
    string: () => new arrow.Utf8(),
  };
  return types[type]();
}

/** An Arrow field per column, with `unit` and `description` field metadata as daf_butler writes them. */
function fieldsOf(arrow: ArrowModule, columns: readonly ColumnSchema[]): Field[] {
  return columns.map((c) => {
    const metadata = new Map<string, string>();
    if (c.description) metadata.set("description", c.description);
    if (c.unit) metadata.set("unit", c.unit);
    return new arrow.Field(c.name, arrowTypeOf(arrow, c.type), true, metadata);
  });
}

/**
 * The Arrow schema daf_butler's `astropy_to_arrow` makes of a table: fields with unit/description
 * metadata, and schema metadata `lsst::arrow::rowcount`, string lengths and astropy's `table_meta_yaml`.
 */
export function arrowSchemaOf(arrow: ArrowModule, table: Table, stripMetaYaml = false): Schema {
  const metadata = tableKeyValues(table);
  if (stripMetaYaml) metadata.delete(TABLE_META_YAML);
  return new arrow.Schema(fieldsOf(arrow, table.schema().columns), metadata);
}

/**
 * The table schema of an Arrow schema (daf_butler's `ArrowAstropySchema.from_arrow`).
 * @throws {FormatterError} for a field of a type tables do not hold.
 */
export function tableSchemaOfArrow(schema: Schema): TableSchema {
  const yamlText = schema.metadata.get(TABLE_META_YAML);
  const header = yamlText === undefined ? undefined : readTableMetaYaml(yamlText);
  const columns = schema.fields.map((field): ColumnSchema => {
    const type = columnTypeOfArrow(field.type);
    if (type === undefined) {
      throw new FormatterError(
        `Column "${field.name}" has Arrow type ${field.type}, which tables cannot hold`,
        {
          hint: "butler-ts tables hold booleans, integers, floats and strings.",
        },
      );
    }
    const attributes = header?.columns.get(field.name);
    if (header !== undefined) {
      const { datatype: _datatype, ...rest } = attributes ?? { name: field.name };
      return { ...rest, type };
    }
    const unit = field.metadata.get("unit");
    const description = field.metadata.get("description");
    return { name: field.name, type, ...(unit ? { unit } : {}), ...(description ? { description } : {}) };
  });
  return makeTableSchema(columns, header?.meta ?? {});
}

/** An Arrow schema as pyarrow stores it under `ARROW:schema`: the IPC schema message, base64. */
export function encodeArrowSchema(arrow: ArrowModule, schema: Schema): string {
  const stream = arrow.tableToIPC(new arrow.Table(schema), "stream");
  // The stream is the schema message, then an 8-byte end-of-stream marker.
  return toBase64(stream.subarray(0, stream.length - 8));
}

/**
 * The Arrow schema of an `ARROW:schema` value.
 * @throws {FormatterError} when it is not a base64 IPC schema message.
 */
export function decodeArrowSchema(arrow: ArrowModule, base64: string, file?: string): Schema {
  try {
    const message = fromBase64(base64);
    const stream = new Uint8Array(message.length + 8);
    stream.set(message);
    stream.set([255, 255, 255, 255, 0, 0, 0, 0], message.length);
    const reader = arrow.RecordBatchReader.from(stream);
    reader.open();
    return reader.schema;
  } catch (error) {
    throw new FormatterError(`Cannot read the ARROW:schema of a Parquet file: ${(error as Error).message}`, {
      cause: error,
      ...(file === undefined ? {} : { file }),
    });
  }
}

/** Base64 of bytes (with `btoa`, which browsers and Node both have). */
function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}
