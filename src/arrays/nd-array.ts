import { ArgumentError } from "../errors.ts";
import { type Hyperslab, resolveHyperslab } from "./hyperslab.ts";
import {
  dtypeOfData,
  type NdData,
  type NdDtype,
  type NdElement,
  parseDtype,
  typedArrayClassOf,
} from "./nd-dtype.ts";

/**
 * An n-dimensional array of one element type: butler-ts's in-memory form of a numpy `ndarray` (the
 * `NumpyArray` storage class). Elements are in C order (the last axis varies fastest). Frozen; its typed
 * array cannot be frozen by JavaScript, so treat it as read-only: every operation returns a new array.
 *
 * @example
 * const image = ndArray(new Float32Array(6), { shape: [2, 3] });
 * image.slice([[0, 1], [1, 3]]).shape; // [1, 2]
 */
export interface NdArray {
  /** Length along each axis; `[]` for a 0-dimensional array holding one value. */
  readonly shape: readonly number[];
  readonly dtype: NdDtype;
  /** The elements in C order. */
  readonly data: NdData;
  /** Number of axes. */
  readonly ndim: number;
  /** Number of elements. */
  readonly size: number;
  /**
   * The element at an index (one integer per axis; none for a 0-dimensional array).
   * @throws {ArgumentError} for an index of the wrong length or out of bounds.
   */
  at(...index: number[]): NdElement;
  /**
   * The part a hyperslab selects, copied, with the same number of axes.
   * @throws {ArgumentError} for a malformed hyperslab.
   */
  slice(slab: Hyperslab): NdArray;
  /** Nested JavaScript arrays of the elements, as numpy's `tolist()` (the element itself for 0 dimensions). */
  toList(): unknown;
}

/** What {@link ndArray} accepts as elements: a typed array or strings, or plain numbers, bigints or booleans. */
export type NdArrayInput = NdData | readonly number[] | readonly bigint[] | readonly boolean[];

/** Options of {@link ndArray}. */
export interface NdArrayOptions {
  /** Length along each axis (default: one axis holding all elements). */
  readonly shape?: readonly number[];
  /** The element type (a name or numpy code); default: the typed array's, else `float64`, `int64`, `bool` or `str`. */
  readonly dtype?: NdDtype | string;
}

class FrozenNdArray implements NdArray {
  readonly shape: readonly number[];
  readonly dtype: NdDtype;
  readonly data: NdData;
  readonly ndim: number;
  readonly size: number;

  constructor(data: NdData, shape: readonly number[], dtype: NdDtype) {
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.data = Array.isArray(data) ? Object.freeze([...data]) : data;
    this.ndim = shape.length;
    this.size = data.length;
    Object.freeze(this);
  }

  at(...index: number[]): NdElement {
    if (index.length !== this.ndim) {
      throw new ArgumentError(`An index of this array needs ${this.ndim} integers; got ${index.length}`);
    }
    let offset = 0;
    index.forEach((i, axis) => {
      const size = this.shape[axis] as number;
      if (!Number.isSafeInteger(i) || i < 0 || i >= size) {
        throw new ArgumentError(`Index ${i} is out of bounds for axis ${axis} of size ${size}`);
      }
      offset = offset * size + i;
    });
    const value = this.data[offset] as NdElement;
    return this.dtype === "bool" ? value === 1 : value;
  }

  slice(slab: Hyperslab): NdArray {
    const { start, count } = resolveHyperslab(this.shape, slab);
    return new FrozenNdArray(copyBlock(this.data, this.shape, start, count), count, this.dtype);
  }

  toList(): unknown {
    const element = (i: number): NdElement => {
      const value = this.data[i] as NdElement;
      return this.dtype === "bool" ? value === 1 : value;
    };
    const nest = (axis: number, offset: number): unknown => {
      if (axis === this.ndim) return element(offset);
      const size = this.shape[axis] as number;
      return Array.from({ length: size }, (_, i) => nest(axis + 1, offset * size + i));
    };
    return nest(0, 0);
  }
}

/** The elements of a C-order block of `shape` starting at `start` with lengths `count`. */
function copyBlock(
  data: NdData,
  shape: readonly number[],
  start: readonly number[],
  count: readonly number[],
): NdData {
  const total = count.reduce((a, b) => a * b, 1);
  const out: NdData = Array.isArray(data)
    ? new Array<string>(total)
    : new (data.constructor as new (length: number) => Exclude<NdData, readonly string[]>)(total);
  if (total === 0) return Array.isArray(out) ? Object.freeze(out) : out;
  const rank = shape.length;
  if (rank === 0) return Array.isArray(data) ? [data[0] as string] : data.slice(0, 1);
  const run = count[rank - 1] as number;
  const index = new Array<number>(rank - 1).fill(0);
  for (let written = 0; written < total; written += run) {
    let offset = 0;
    for (let axis = 0; axis < rank; axis++) {
      const position =
        axis < rank - 1 ? (index[axis] as number) + (start[axis] as number) : (start[axis] as number);
      offset = offset * (shape[axis] as number) + position;
    }
    if (Array.isArray(data)) {
      for (let i = 0; i < run; i++) (out as string[])[written + i] = data[offset + i] as string;
    } else {
      (out as Float64Array).set((data as Float64Array).subarray(offset, offset + run), written);
    }
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      if ((index[axis] as number) < (count[axis] as number)) break;
      index[axis] = 0;
    }
  }
  return out;
}

function defaultDtype(data: NdArrayInput): NdDtype {
  const own = dtypeOfData(data);
  if (own !== undefined) return own;
  const first = (data as readonly unknown[])[0];
  if (typeof first === "bigint") return "int64";
  if (typeof first === "boolean") return "bool";
  if (typeof first === "string") return "str";
  return "float64";
}

/** `data` as the storage of `dtype`: typed arrays of the right class as they are, plain arrays converted. */
function storageOf(data: NdArrayInput, dtype: NdDtype): NdData {
  if (dtype === "str") {
    if (Array.isArray(data) && data.every((v) => typeof v === "string")) return data as readonly string[];
    throw new ArgumentError("An array of dtype str needs an array of strings");
  }
  const Typed = typedArrayClassOf(dtype);
  if (data instanceof Typed) return data;
  if (!Array.isArray(data)) {
    throw new ArgumentError(
      `A ${data.constructor.name} cannot hold dtype ${dtype} (expected: ${Typed.name})`,
    );
  }
  const wide = dtype === "int64" || dtype === "uint64";
  const values = (data as readonly unknown[]).map((v, i) => {
    if (typeof v === "boolean" && dtype === "bool") return v ? 1 : 0;
    if (wide && (typeof v === "bigint" || Number.isSafeInteger(v))) return BigInt(v as number | bigint);
    if (!wide && typeof v === "number") return v;
    throw new ArgumentError(`Element ${i} (${String(v)}) cannot be stored in an array of dtype ${dtype}`);
  });
  return new (Typed as new (values: unknown[]) => Exclude<NdData, readonly string[]>)(values);
}

/**
 * An n-dimensional array of `data` (in C order).
 * @throws {ArgumentError} when the shape does not fit the number of elements, the dtype is unknown, or the
 * elements cannot be of that dtype.
 */
export function ndArray(data: NdArrayInput, options: NdArrayOptions = {}): NdArray {
  const dtype = options.dtype === undefined ? defaultDtype(data) : parseDtype(options.dtype);
  const shape = options.shape ?? [data.length];
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) {
    throw new ArgumentError(`An array shape is a list of lengths (integers >= 0); got [${shape.join(", ")}]`);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (size !== data.length) {
    throw new ArgumentError(`Shape [${shape.join(", ")}] holds ${size} elements; got ${data.length}`);
  }
  return new FrozenNdArray(storageOf(data, dtype), shape, dtype);
}

/** Whether `object` is an {@link NdArray} made by {@link ndArray}. */
export function isNdArray(object: unknown): object is NdArray {
  return object instanceof FrozenNdArray;
}
