import { describe, expect, it } from "vitest";
import { RecordTable } from "../../test/support/record-table.ts";
import {
  DataIdError,
  DataIdValueError,
  DimensionNameError,
  DimensionValueError,
  InconsistentDataIdError,
} from "../errors.ts";
import { parseTime } from "../time/parse-time.ts";
import { Timespan } from "../time/timespan.ts";
import { DataCoordinate } from "./data-coordinate.ts";
import { defaultUniverse } from "./default-universe.ts";
import { DimensionRecord } from "./dimension-record.ts";
import { expandDataId } from "./expand-data-id.ts";
import { standardizeDataId } from "./standardize-data-id.ts";

const universe = defaultUniverse();
const std = (input: Record<string, unknown>, options = {}) => standardizeDataId(universe, input, options);

function caught(fn: () => unknown): Error & { code?: string; hint?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("standardizeDataId", () => {
  it("infers dimensions from keys and knows its state", () => {
    const id = std({ instrument: "HSC", visit: 903334, detector: 16 });
    expect(id.dimensions).toBe(universe.conform(["visit", "detector"]));
    expect(id.state).toBe("required");
    expect(id.isComplete).toBe(true);
    expect(id.hasFull()).toBe(false);
    expect(id.hasRecords()).toBe(false);
    expect(id.get("visit")).toBe(903334);
    expect(id.get("band")).toBeUndefined();
    expect(id.required).toEqual({ instrument: "HSC", detector: 16, visit: 903334 });
    expect(String(id)).toBe("{instrument: 'HSC', detector: 16, visit: 903334}");
  });

  it("is full when implied values are given too", () => {
    const id = std({ instrument: "HSC", visit: 1, band: "r", physical_filter: "HSC-R", day_obs: 20140324 });
    expect(id.state).toBe("full");
    expect(id.hasFull()).toBe(true);
    expect(id.mapping).toEqual({
      instrument: "HSC",
      visit: 1,
      band: "r",
      day_obs: 20140324,
      physical_filter: "HSC-R",
    });
  });

  it("keeps partial data IDs as their own state", () => {
    const id = std({ visit: 1 });
    expect(id.state).toBe("partial");
    expect(id.missing).toEqual(["instrument"]);
    const error = caught(() => id.requireComplete());
    expect(error).toBeInstanceOf(DimensionNameError);
    expect(error.code).toBe("DimensionNameError");
    expect(error.message).toBe('No value in data ID {visit: 1} for required dimension "instrument"');
    expect(error.hint).toBe("Give values for instrument.");
  });

  it("turns integer strings into integers, as typed on a command line", () => {
    const id = std({ instrument: "HSC", visit: "903334", detector: " 16 " });
    expect(id.get("visit")).toBe(903334);
    expect(id.get("detector")).toBe(16);
    expect(id.equals(std({ instrument: "HSC", visit: 903334, detector: 16 }))).toBe(true);
  });

  it("lets overrides win, like daf_butler's keyword arguments", () => {
    const id = std({ instrument: "HSC", visit: 1 }, { overrides: { visit: 2 } });
    expect(id.get("visit")).toBe(2);
    expect(
      standardizeDataId(universe, new Map([["instrument", "HSC"]]), { overrides: { detector: 3 } }).required,
    ).toEqual({
      instrument: "HSC",
      detector: 3,
    });
  });

  it("keeps alternate keys as constraints for a registry to resolve", () => {
    const byObsId = std({ instrument: "HSC", "exposure.obs_id": "HSCA90333400", detector: 16 });
    expect(byObsId.dimensions).toBe(universe.conform(["exposure", "detector"]));
    expect(byObsId.state).toBe("partial");
    expect(byObsId.constraints).toEqual({ "exposure.obs_id": "HSCA90333400" });
    expect(String(byObsId)).toBe("{instrument: 'HSC', detector: 16, exposure.obs_id: 'HSCA90333400'}");
    expect(caught(() => byObsId.requireComplete()).hint).toBe(
      "Resolve exposure.obs_id with a registry (expandDataId) or give the dimension values directly.",
    );

    const byName = std({ instrument: "Cam1", detector: "Ab" });
    expect(byName.constraints).toEqual({ "detector.full_name": "Ab" });
    expect(byName.missing).toEqual(["detector"]);
  });

  it("reads element.field keys that name a dimension as that dimension", () => {
    expect(std({ instrument: "HSC", "visit.id": 5 }).get("visit")).toBe(5);
    expect(std({ "visit.instrument": "HSC", visit: 5 }).get("instrument")).toBe("HSC");
    const error = caught(() => std({ instrument: "HSC", visit: 1, "visit.id": 2 }));
    expect(error).toBeInstanceOf(InconsistentDataIdError);
    expect(error).toBeInstanceOf(DataIdError);
    expect(error.message).toBe('Data ID gives two values for dimension "visit": 1 and 2 (from "visit.id")');
  });

  it("drops dimensions outside the requested ones but never unknown keys", () => {
    const id = std({ instrument: "HSC", visit: 1, detector: 2, band: "r" }, { dimensions: ["detector"] });
    expect(id.dimensions).toBe(universe.conform(["detector"]));
    expect(id.required).toEqual({ instrument: "HSC", detector: 2 });
    expect(() => std({ instrument: "HSC", detectr: 2 }, { dimensions: ["detector"] })).toThrow(
      'Unrecognized data ID key "detectr"',
    );
  });

  it("fills missing values from defaults without inferring dimensions from them", () => {
    const defaults = std({ instrument: "HSC", skymap: "hsc_rings" });
    const id = std({ visit: 1 }, { defaults });
    expect(id.required).toEqual({ instrument: "HSC", visit: 1 });
    expect(id.dimensions.hasDimension("skymap")).toBe(false);
    expect(std({ instrument: "LSST", visit: 1 }, { defaults }).get("instrument")).toBe("LSST");
  });

  it("returns a data coordinate unchanged, or its subset", () => {
    const id = std({ instrument: "HSC", visit: 1, detector: 2 });
    expect(standardizeDataId(universe, id)).toBe(id);
    expect(standardizeDataId(universe, id, { dimensions: ["detector"] }).required).toEqual({
      instrument: "HSC",
      detector: 2,
    });
    expect(standardizeDataId(universe, id, { overrides: { detector: 3 } }).get("detector")).toBe(3);
  });

  const badInputs: Array<[string, Record<string, unknown>, string, string, string | undefined]> = [
    [
      "an unknown key",
      { instrument: "HSC", visitt: 1 },
      "DimensionNameError",
      'Unrecognized data ID key "visitt"',
      'Did you mean "visit"?',
    ],
    [
      "a join element as key",
      { visit_detector_region: 1 },
      "DimensionNameError",
      'Data ID key "visit_detector_region" is a dimension element but not a dimension',
      "Give its dimensions instead: instrument, detector, visit.",
    ],
    [
      "an unknown field",
      { "exposure.obsid": "x" },
      "DimensionNameError",
      'Data ID key "exposure.obsid": "obsid" is not a field of exposure usable in a data ID',
      'Did you mean "obs_id"?',
    ],
    [
      "a boolean field",
      { "exposure.can_see_sky": true },
      "DimensionNameError",
      'Data ID key "exposure.can_see_sky": "can_see_sky" is not a field of exposure usable in a data ID',
      "Usable fields of exposure: obs_id, exposure_time, dark_time, observation_type, observation_reason, seq_num, seq_start, seq_end, target_name, science_program, tracking_ra, tracking_dec, sky_angle, azimuth, zenith_angle.",
    ],
    [
      "a number for a string key",
      { instrument: 5 },
      "DimensionValueError",
      'Invalid value 5 for dimension "instrument": expected a string',
      'Quote it: "5".',
    ],
    [
      "a fraction for an integer key",
      { instrument: "HSC", visit: 1.5 },
      "DimensionValueError",
      'Invalid value 1.5 for dimension "visit": expected an integer',
      undefined,
    ],
    [
      "a boolean value",
      { instrument: "HSC", visit: true },
      "DimensionValueError",
      'Invalid value true for dimension "visit": expected an integer',
      undefined,
    ],
    [
      "a name with no alternate key",
      { instrument: "HSC", day_obs: "today" },
      "DimensionValueError",
      'Invalid value "today" for dimension "day_obs": expected an integer',
      undefined,
    ],
    [
      "an unsafe integer",
      { instrument: "HSC", visit: "99999999999999999999" },
      "DimensionValueError",
      'Invalid value "99999999999999999999" for dimension "visit": expected an integer',
      undefined,
    ],
    [
      "null",
      { instrument: null },
      "DimensionValueError",
      'Invalid value null for dimension "instrument": expected a string',
      undefined,
    ],
  ];
  it.each(badInputs)("rejects %s", (_what, input, code, message, hint) => {
    const error = caught(() => std(input));
    expect(error).toBeInstanceOf(DataIdError);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
    expect(error.hint).toBe(hint);
  });
});

describe("DataCoordinate", () => {
  const id = std({ instrument: "HSC", visit: 903334, detector: 16 });

  it("compares on dimensions and required values only", () => {
    const full = std({
      instrument: "HSC",
      visit: 903334,
      detector: 16,
      band: "r",
      physical_filter: "HSC-R",
      day_obs: 1,
    });
    expect(full.equals(id)).toBe(true);
    expect(full.key).toBe(id.key);
    expect(id.equals(std({ instrument: "HSC", visit: 903334, detector: 17 }))).toBe(false);
    expect(
      std({ instrument: "HSC", detector: 1 }).equals(std({ instrument: "HSC", physical_filter: "1" })),
    ).toBe(false);
    const keyed = new Map([[id.key, "found"]]);
    expect(keyed.get(std({ detector: 16, visit: 903334, instrument: "HSC" }).key)).toBe("found");
    expect(std({ instrument: "x", detector: "1" }).key).not.toBe(
      std({ instrument: "x", "detector.full_name": "1" }).key,
    );
  });

  it("takes subsets and unions", () => {
    const detector = id.subset(["detector"]);
    expect(detector.required).toEqual({ instrument: "HSC", detector: 16 });
    expect(id.subset(id.dimensions)).toBe(id);
    const visit = id.subset(["visit"]);
    expect(visit.state).toBe("required");
    expect(detector.union(visit).equals(id)).toBe(true);
    const error = caught(() => detector.subset(["visit"]));
    expect(error).toBeInstanceOf(DimensionNameError);
    expect(error.message).toBe(
      "Cannot take {band, instrument, day_obs, physical_filter, visit} from data ID {instrument: 'HSC', detector: 16}: it has no band, day_obs, physical_filter, visit",
    );
  });

  it("refuses to unite conflicting data IDs, naming the dimension and both values", () => {
    const error = caught(() => id.union(std({ instrument: "HSC", visit: 903336 })));
    expect(error).toBeInstanceOf(InconsistentDataIdError);
    expect(error).toBeInstanceOf(DataIdError);
    expect(error.message).toBe(
      "Conflicting values for dimension \"visit\": 903334 in {instrument: 'HSC', detector: 16, visit: 903334} and 903336 in {instrument: 'HSC', visit: 903336}",
    );
  });

  it("builds from trusted values", () => {
    const group = universe.conform(["visit"]);
    expect(DataCoordinate.fromRequiredValues(group, ["HSC", 1]).state).toBe("required");
    expect(DataCoordinate.fromFullValues(group, ["HSC", 1, "r", 20140324, "HSC-R"]).state).toBe("full");
    expect(() => DataCoordinate.fromRequiredValues(group, ["HSC"])).toThrow(DimensionNameError);
    const empty = DataCoordinate.makeEmpty(universe);
    expect(empty.hasRecords()).toBe(true);
    expect(String(empty)).toBe("{}");
  });

  it("names a dimension that is not its own", () => {
    expect(() => id.get("tract")).toThrow(`Dimension "tract" is not part of data ID ${id}`);
    expect(() => id.record("visit")).toThrow("has no records attached");
  });
});

describe("expandDataId", () => {
  const rec = (element: string, fields: Record<string, unknown>) =>
    DimensionRecord.make(universe.element(element), fields);
  const visitSpan = Timespan.between(
    parseTime("2014-03-25T09:34:19/tai"),
    parseTime("2014-03-25T09:38:21/tai"),
  );
  const records = new RecordTable([
    rec("instrument", { name: "HSC", detector_max: 200 }),
    rec("physical_filter", { instrument: "HSC", name: "HSC-R", band: "r" }),
    rec("day_obs", { instrument: "HSC", id: 20140324 }),
    rec("detector", { instrument: "HSC", id: 16, full_name: "1_53", purpose: "SCIENCE" }),
    rec("visit", {
      instrument: "HSC",
      id: 903334,
      day_obs: 20140324,
      physical_filter: "HSC-R",
      name: "HSCA90333400",
      timespan: visitSpan,
    }),
  ]);

  it("fetches records in lookup order and fills implied values from them", async () => {
    const expanded = await expandDataId(std({ instrument: "HSC", visit: 903334, detector: 16 }), records);
    expect(expanded.state).toBe("expanded");
    expect(expanded.hasRecords()).toBe(true);
    expect(expanded.mapping).toEqual({
      instrument: "HSC",
      detector: 16,
      visit: 903334,
      band: "r",
      day_obs: 20140324,
      physical_filter: "HSC-R",
    });
    expect(expanded.record("detector")?.get("full_name")).toBe("1_53");
    expect(expanded.record("band")?.get("name")).toBe("r");
    expect(expanded.record("visit_detector_region")).toBeNull();
    expect(expanded.timespan?.equals(visitSpan)).toBe(true);
    expect(records.fetched.slice(-6)).toEqual([
      "instrument",
      "detector",
      "visit",
      "day_obs",
      "physical_filter",
      "visit_detector_region",
    ]);
    expect(await expandDataId(expanded, records)).toBe(expanded);
    expect(expanded.subset(["detector"]).hasRecords()).toBe(true);
  });

  it("rejects values with no record", async () => {
    const error = await expandDataId(std({ instrument: "HSC", visit: 1 }), records).catch((e) => e);
    expect(error).toBeInstanceOf(DataIdValueError);
    expect(error.message).toBe("No visit record for instrument='HSC', visit=1");
  });

  it("rejects given values that contradict the records", async () => {
    const error = await expandDataId(std({ instrument: "HSC", visit: 903334, band: "g" }), records).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(InconsistentDataIdError);
    expect(error.message).toBe(
      "Data ID {instrument: 'HSC', visit: 903334, band: 'g'} has band='g' but physical_filter 'HSC-R' has band='r'",
    );
  });

  it("checks alternate-key constraints against the records", async () => {
    const matching = await expandDataId(
      std({ instrument: "HSC", visit: 903334, "visit.name": "HSCA90333400" }),
      records,
    );
    expect(matching.constraints).toEqual({});
    const error = await expandDataId(
      std({ instrument: "HSC", detector: 16, "detector.full_name": "0_00" }),
      records,
    ).catch((e) => e);
    expect(error).toBeInstanceOf(InconsistentDataIdError);
    expect(error.message).toBe(
      "Data ID {instrument: 'HSC', detector: 16, detector.full_name: '0_00'} has detector.full_name='0_00' but the detector record says '1_53'",
    );
  });

  it("refuses to expand a partial data ID", async () => {
    await expect(expandDataId(std({ "exposure.obs_id": "x" }), records)).rejects.toBeInstanceOf(
      DimensionNameError,
    );
  });
});

describe("DimensionRecord", () => {
  it("checks field names and types", () => {
    const detector = universe.element("detector");
    expect(() => DimensionRecord.make(detector, { instrument: "HSC", id: 1, fullname: "x" })).toThrow(
      'Unknown field "fullname" for a detector record',
    );
    expect(() => DimensionRecord.make(detector, { instrument: "HSC", id: "1", full_name: "x" })).toThrow(
      'Invalid value "1" for field "id" of a detector record: expected an integer',
    );
    expect(() => DimensionRecord.make(detector, { instrument: "HSC", full_name: "x" })).toThrow(
      'Missing value for field "id" of a detector record',
    );
    expect(() => DimensionRecord.make(detector, { instrument: "HSC", id: 1, full_name: "x" })).not.toThrow();
    const error = caught(() => DimensionRecord.make(detector, { instrument: "HSC", id: 1 }));
    expect(error).toBeInstanceOf(DimensionValueError);
    const a = DimensionRecord.make(detector, { instrument: "HSC", id: 1, full_name: "x", raft: "R" });
    expect(a.toObject()).toEqual({
      instrument: "HSC",
      id: 1,
      full_name: "x",
      name_in_raft: null,
      raft: "R",
      purpose: null,
    });
    expect(
      a.equals(DimensionRecord.make(detector, { instrument: "HSC", id: 1, full_name: "x", raft: "R" })),
    ).toBe(true);
    expect(a.valueOf("detector")).toBe(1);
  });
});
