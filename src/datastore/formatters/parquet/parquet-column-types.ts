import type { SchemaElement } from "hyparquet";
import type { ColumnType } from "../../../tables/column-type.ts";

/**
 * The Parquet schema element of a column type, as pyarrow writes it (every column OPTIONAL, integers
 * narrower than 32 bits and unsigned ones as INT32/INT64 with an integer logical type).
 */
export function schemaElementOf(name: string, type: ColumnType): SchemaElement {
  const base = { name, repetition_type: "OPTIONAL" as const };
  switch (type) {
    case "bool":
      return { ...base, type: "BOOLEAN" };
    case "float32":
      return { ...base, type: "FLOAT" };
    case "float64":
      return { ...base, type: "DOUBLE" };
    case "string":
      return { ...base, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" } };
    case "int32":
      return { ...base, type: "INT32" };
    case "int64":
      return { ...base, type: "INT64" };
    default: {
      const isSigned = type.startsWith("int");
      const bitWidth = Number(type.replace(/\D/g, ""));
      return {
        ...base,
        type: bitWidth === 64 ? "INT64" : "INT32",
        converted_type: `${isSigned ? "INT" : "UINT"}_${bitWidth}` as SchemaElement["converted_type"],
        logical_type: { type: "INTEGER", bitWidth, isSigned },
      };
    }
  }
}

/**
 * The column type of a Parquet leaf column, or undefined for types butler-ts does not hold in tables
 * (timestamps, decimals, binary, nested lists).
 */
export function columnTypeOfElement(element: SchemaElement): ColumnType | undefined {
  if ((element.num_children ?? 0) > 0) return undefined;
  const logical = element.logical_type;
  const converted = element.converted_type;
  switch (element.type) {
    case "BOOLEAN":
      return "bool";
    case "FLOAT":
      return "float32";
    case "DOUBLE":
      return "float64";
    case "BYTE_ARRAY":
      return logical?.type === "STRING" || converted === "UTF8" ? "string" : undefined;
    case "INT32":
    case "INT64": {
      if (logical?.type === "INTEGER") {
        return `${logical.isSigned ? "int" : "uint"}${logical.bitWidth}` as ColumnType;
      }
      if (converted?.startsWith("INT_") || converted?.startsWith("UINT_")) {
        return converted.toLowerCase().replace("_", "") as ColumnType;
      }
      if (logical !== undefined || converted !== undefined) return undefined;
      return element.type === "INT32" ? "int32" : "int64";
    }
    default:
      return undefined;
  }
}
