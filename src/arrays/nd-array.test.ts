import { describe, expect, it } from "vitest";
import { thrown } from "../../test/support/caught.ts";
import { ArgumentError } from "../errors.ts";
import { isNdArray, ndArray } from "./nd-array.ts";
import { numpyDtypeString, parseDtype } from "./nd-dtype.ts";

describe("ndArray()", () => {
  it("infers the dtype from a typed array and a plain array", () => {
    expect(ndArray(new Int16Array(3)).dtype).toBe("int16");
    expect(ndArray(new BigUint64Array(3)).dtype).toBe("uint64");
    expect(ndArray([1.5, 2]).dtype).toBe("float64");
    expect(ndArray([1n, 2n]).dtype).toBe("int64");
    expect(ndArray(["a"]).dtype).toBe("str");
    expect(ndArray([true, false]).dtype).toBe("bool");
  });

  it("converts plain arrays to the dtype asked for", () => {
    const array = ndArray([1, 2, 3, 4], { shape: [2, 2], dtype: "<i8" });
    expect(array.dtype).toBe("int64");
    expect(array.data).toEqual(new BigInt64Array([1n, 2n, 3n, 4n]));
    expect(ndArray([1, 2], { dtype: "float32" }).data).toBeInstanceOf(Float32Array);
  });

  it("is frozen, with a frozen shape", () => {
    const array = ndArray(new Float32Array(6), { shape: [2, 3] });
    expect(Object.isFrozen(array)).toBe(true);
    expect(Object.isFrozen(array.shape)).toBe(true);
    expect([array.ndim, array.size]).toEqual([2, 6]);
    expect(isNdArray(array)).toBe(true);
    expect(isNdArray({ shape: [1], dtype: "int8", data: new Int8Array(1) })).toBe(false);
  });

  it("holds one value with shape []", () => {
    const scalar = ndArray(new Float64Array([2.5]), { shape: [] });
    expect(scalar.at()).toBe(2.5);
    expect(scalar.toList()).toBe(2.5);
  });

  it("refuses a shape that does not fit the elements", () => {
    const error = thrown(() => ndArray([1, 2, 3], { shape: [2, 2] }));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.code).toBe("ArgumentError");
    expect(error.message).toBe("Shape [2, 2] holds 4 elements; got 3");
  });

  it("refuses a typed array of another dtype and elements that do not fit", () => {
    expect(thrown(() => ndArray(new Float32Array(2), { dtype: "int16" })).message).toBe(
      "A Float32Array cannot hold dtype int16 (expected: Int16Array)",
    );
    expect(thrown(() => ndArray([1.5], { dtype: "int64" })).message).toBe(
      "Element 0 (1.5) cannot be stored in an array of dtype int64",
    );
  });
});

describe("NdArray", () => {
  const cube = ndArray(
    Int32Array.from({ length: 24 }, (_, i) => i),
    { shape: [2, 3, 4] },
  );

  it("at() indexes in C order and refuses bad indices", () => {
    expect(cube.at(1, 2, 3)).toBe(23);
    expect(cube.at(0, 1, 0)).toBe(4);
    const error = thrown(() => cube.at(0, 3, 0));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe("Index 3 is out of bounds for axis 1 of size 3");
  });

  it("slice() copies a hyperslab, whole axes when left out", () => {
    const part = cube.slice([
      [1, 2],
      [1, 3],
    ]);
    expect(part.shape).toEqual([1, 2, 4]);
    expect(part.toList()).toEqual([
      [
        [16, 17, 18, 19],
        [20, 21, 22, 23],
      ],
    ]);
    expect(cube.slice([null, null, [1, 2]]).toList()).toEqual([
      [[1], [5], [9]],
      [[13], [17], [21]],
    ]);
  });

  it("slice() reads ranges as Python slices: negative from the end, clipped", () => {
    expect(
      cube
        .slice([
          [-1, null],
          [0, 100],
          [-2, null],
        ])
        .toList(),
    ).toEqual([
      [
        [14, 15],
        [18, 19],
        [22, 23],
      ],
    ]);
    expect(cube.slice([[2, 1]]).shape).toEqual([0, 3, 4]);
  });

  it("slice() keeps strings and booleans", () => {
    const names = ndArray(["a", "b", "c", "d"], { shape: [2, 2] });
    expect(names.slice([null, [1, 2]]).toList()).toEqual([["b"], ["d"]]);
    expect(
      ndArray([true, false, true])
        .slice([[1, 3]])
        .toList(),
    ).toEqual([false, true]);
  });

  it("slice() refuses more ranges than axes and non-integers", () => {
    expect(thrown(() => cube.slice([null, null, null, null])).message).toBe(
      "A slice needs at most one [start, stop] range per axis; got [null,null,null,null] for shape [2, 3, 4]",
    );
    expect(thrown(() => cube.slice([[0.5, 1]])).message).toBe("Slice start must be an integer; got 0.5");
  });
});

describe("parseDtype()", () => {
  it("reads names, numpy dtype strings and type codes", () => {
    expect(["float32", "<f4", ">f4", "f4", "f"].map(parseDtype)).toEqual(Array(5).fill("float32"));
    expect(["|u1", "B", "uint8"].map(parseDtype)).toEqual(["uint8", "uint8", "uint8"]);
    expect(["<U7", "|S5", "O", "str"].map(parseDtype)).toEqual(["str", "str", "str", "str"]);
    expect(["?", "|b1", "bool"].map(parseDtype)).toEqual(["bool", "bool", "bool"]);
  });

  it("refuses dtypes butler-ts cannot hold", () => {
    const error = thrown(() => parseDtype("<c8"));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe('Unsupported array dtype "<c8"');
    expect(error.hint).toMatch(/^Use one of bool, int8, /);
  });

  it("numpyDtypeString() gives numpy's little-endian dtype.str", () => {
    expect(["int16", "uint8", "float64", "bool", "str"].map((d) => numpyDtypeString(parseDtype(d)))).toEqual([
      "<i2",
      "|u1",
      "<f8",
      "|b1",
      "<U",
    ]);
  });
});
