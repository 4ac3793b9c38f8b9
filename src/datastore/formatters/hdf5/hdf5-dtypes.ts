import type { Metadata } from "h5wasm/node";
import type { NdDtype } from "../../../arrays/nd-dtype.ts";

/** HDF5 type classes (`H5T_class_t`) h5wasm reports in `Metadata.type`. */
const INTEGER = 0;
const FLOAT = 1;
const STRING = 3;
const COMPOUND = 6;
const ENUM = 8;

const INTEGERS: Readonly<Record<number, readonly [NdDtype, NdDtype]>> = {
  1: ["int8", "uint8"],
  2: ["int16", "uint16"],
  4: ["int32", "uint32"],
  8: ["int64", "uint64"],
};

/** h5py's boolean type: an 8-bit enum of FALSE = 0 and TRUE = 1. */
function isBoolEnum(metadata: Metadata): boolean {
  const members = metadata.enum_type?.members;
  return (
    metadata.size === 1 &&
    members !== undefined &&
    Object.keys(members).length === 2 &&
    members.FALSE === 0 &&
    members.TRUE === 1
  );
}

/** The dtype butler-ts holds an HDF5 dataset or attribute type as, or undefined when it cannot. */
export function ndDtypeOfHdf5(metadata: Metadata): NdDtype | undefined {
  switch (metadata.type) {
    case INTEGER: {
      const pair = INTEGERS[metadata.size];
      return pair === undefined ? undefined : pair[metadata.signed ? 0 : 1];
    }
    case FLOAT:
      return metadata.size === 4 ? "float32" : metadata.size === 8 ? "float64" : undefined;
    case STRING:
      return "str";
    case ENUM:
      return isBoolEnum(metadata) ? "bool" : undefined;
    default:
      return undefined;
  }
}

/** A description of an HDF5 type butler-ts cannot hold, for messages: `16-bit float`, `compound`. */
export function describeHdf5Type(metadata: Metadata): string {
  const bits = `${metadata.size * 8}-bit`;
  switch (metadata.type) {
    case INTEGER:
      return `${bits} integer`;
    case FLOAT:
      return `${bits} float`;
    case COMPOUND:
      return "compound (a structured or complex type)";
    case ENUM:
      return "enum";
    default:
      return `HDF5 type class ${metadata.type}`;
  }
}

const WRITE_TYPES: Readonly<Partial<Record<NdDtype, string>>> = {
  int8: "<b",
  uint8: "<B",
  int16: "<h",
  uint16: "<H",
  int32: "<i",
  uint32: "<I",
  int64: "<q",
  uint64: "<Q",
  float32: "<f",
  float64: "<d",
  str: "S",
};

/** h5wasm's dtype string to write a dtype as (`S`: variable-length UTF-8), or undefined when it cannot. */
export function hdf5WriteType(dtype: NdDtype): string | undefined {
  return WRITE_TYPES[dtype];
}
