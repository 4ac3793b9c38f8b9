import { type Hyperslab, type PixelBox, pixelBoxHyperslab } from "../../../arrays/hyperslab.ts";
import { isNdArray, type NdArray } from "../../../arrays/nd-array.ts";
import { ArgumentError, MissingDependencyError } from "../../../errors.ts";
import type { StorageClassDelegate } from "../../storage-classes/storage-class-delegates.ts";

/** An NdArray with `slice` or `bbox` applied (as the hdf5 formatter reads them). */
function applyArrayParameters(object: unknown, parameters: Readonly<Record<string, unknown>>): unknown {
  if (!isNdArray(object)) return object;
  const { slice, bbox, ...others } = parameters;
  const other = Object.keys(others).find((key) => others[key] !== undefined);
  if (other !== undefined) {
    throw new MissingDependencyError(`butler-ts cannot apply read parameter "${other}" to an NdArray yet`, {
      hint: "Read the whole array and select what you need from it.",
    });
  }
  if (slice !== undefined && bbox !== undefined) throw new ArgumentError("Give a slice or a bbox, not both");
  if (bbox !== undefined) return object.slice(pixelBoxHyperslab(object.shape, bbox as PixelBox));
  return slice === undefined ? object : object.slice(slice as Hyperslab);
}

/**
 * The delegate of numpy's `ndarray` for {@link NdArray}s (`shape` component, `slice` and `bbox`
 * parameters), deferring to `base` for other objects: `NumpyArray` and `ArrowNumpy` share the pytype, so
 * the table delegate of `ArrowNumpy` goes in as `base`.
 */
export function ndArrayDelegate(base?: StorageClassDelegate): StorageClassDelegate {
  const expected = 'an NdArray (make one with ndArray(data, { shape, dtype }) from "butler-ts")';
  return {
    expected: base === undefined ? expected : `${expected}, or ${base.expected}`,
    accepts: (object) => isNdArray(object) || base?.accepts(object) === true,
    derive(object, component) {
      if (isNdArray(object)) return component === "shape" ? object.shape : undefined;
      return base?.derive?.(object, component);
    },
    applyParameters(object, parameters) {
      if (isNdArray(object) || base?.applyParameters === undefined)
        return applyArrayParameters(object, parameters);
      return base.applyParameters(object, parameters);
    },
  };
}

/** Delegates of the array types butler-ts holds, by pytype: numpy's `ndarray` as an {@link NdArray}. */
export const ARRAY_DELEGATES: Readonly<Record<string, StorageClassDelegate>> = Object.freeze({
  "numpy.ndarray": ndArrayDelegate(),
});
