import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import type { DataCoordinate } from "./data-coordinate.ts";
import { defaultUniverse } from "./default-universe.ts";
import { standardizeDataId } from "./standardize-data-id.ts";

const universe = defaultUniverse();
const LEAVES = [
  "visit",
  "detector",
  "exposure",
  "tract",
  "patch",
  "physical_filter",
  "band",
  "day_obs",
  "htm7",
  "subfilter",
  "group",
  "visit_system",
  "instrument",
  "skymap",
];

/** A random data ID input: some dimensions, a value of the right type for each key, implied values or not. */
const dataIdInput = fc
  .record({
    leaves: fc.subarray(LEAVES, { minLength: 1 }),
    withImplied: fc.boolean(),
    asText: fc.boolean(),
    seed: fc.array(fc.nat({ max: 99_999 }), { minLength: 16, maxLength: 16 }),
  })
  .map(({ leaves, withImplied, asText, seed }) => {
    const group = universe.conform(leaves);
    const keys = withImplied ? group.dataCoordinateKeys : group.required;
    const input: Record<string, string | number> = {};
    keys.forEach((name, i) => {
      const value = seed[i % seed.length] as number;
      const isInt = universe.dimension(name).primaryKey.type === "int";
      input[name] = isInt ? (asText ? String(value) : value) : `${name}-${value}`;
    });
    return input;
  });

function sameDataId(a: DataCoordinate, b: DataCoordinate): void {
  expect(a.equals(b)).toBe(true);
  expect(a.state).toBe(b.state);
  expect(a.mapping).toEqual(b.mapping);
  expect(a.dimensions).toBe(b.dimensions);
}

describe("data ID algebra (property tests)", () => {
  it("standardizing twice changes nothing", () => {
    fc.assert(
      fc.property(dataIdInput, (input) => {
        const once = standardizeDataId(universe, input);
        sameDataId(standardizeDataId(universe, once), once);
        sameDataId(standardizeDataId(universe, once.mapping), once);
        sameDataId(standardizeDataId(universe, { ...once.mapping }, { dimensions: once.dimensions }), once);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("subset then union gives back the data ID", () => {
    fc.assert(
      fc.property(dataIdInput, fc.infiniteStream(fc.boolean()), (input, coin) => {
        const id = standardizeDataId(universe, input);
        const required = id.dimensions.required;
        const left = required.filter(() => coin.next().value);
        const right = required.filter((name) => !left.includes(name));
        const rebuilt = id.subset(left).union(id.subset(right));
        expect(rebuilt.equals(id)).toBe(true);
        expect(rebuilt.dimensions).toBe(id.dimensions);
        expect(rebuilt.isComplete).toBe(true);
        for (const [name, value] of Object.entries(rebuilt.mapping)) expect(id.mapping[name]).toBe(value);
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("equal data IDs have equal keys and unequal ones different keys", () => {
    fc.assert(
      fc.property(dataIdInput, dataIdInput, (a, b) => {
        const x = standardizeDataId(universe, a);
        const y = standardizeDataId(universe, b);
        expect(x.key === y.key).toBe(x.equals(y));
      }),
      PROPERTY_OPTIONS,
    );
  });
});
