import { describe, expect, it } from "vitest";
import { RecordTable } from "../../../test/support/record-table.ts";
import type { DataCoordinate } from "../../dimensions/data-coordinate.ts";
import { defaultUniverse } from "../../dimensions/default-universe.ts";
import { DimensionRecord } from "../../dimensions/dimension-record.ts";
import { expandDataId } from "../../dimensions/expand-data-id.ts";
import { standardizeDataId } from "../../dimensions/standardize-data-id.ts";
import { FileTemplateError } from "../../errors.ts";
import { FileTemplate, type TemplateInput } from "./file-template.ts";

const universe = defaultUniverse();
const rec = (element: string, fields: Record<string, unknown>) =>
  DimensionRecord.make(universe.element(element), fields);
const std = (values: Record<string, unknown>) => standardizeDataId(universe, values);

/** daf_butler's test_templates.py data ID. */
const DUMMY = std({ instrument: "dummy", visit: 52, physical_filter: "U" });

function input(dataId: DataCoordinate, datasetTypeName = "calexp", run = "run2"): TemplateInput {
  const dot = datasetTypeName.indexOf(".");
  return {
    datasetType: dot < 0 ? datasetTypeName : datasetTypeName.slice(0, dot),
    component: dot < 0 ? null : datasetTypeName.slice(dot + 1),
    run,
    id: "0b1d4b7e-6d9f-4c4e-9d5e-3f3a1c2b7a10",
    dataId,
  };
}

const format = (template: string, values: TemplateInput) => FileTemplate.parse(template).format(values);

/** The FileTemplateError `fn` throws, checked for its class and code. */
function templateError(fn: () => unknown): FileTemplateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FileTemplateError);
    expect((error as FileTemplateError).code).toBe("FileTemplateError");
    return error as FileTemplateError;
  }
  throw new Error("expected a FileTemplateError");
}

const records = new RecordTable([
  rec("instrument", { name: "HSC" }),
  rec("physical_filter", { instrument: "HSC", name: "HSC-R", band: "r" }),
  rec("day_obs", { instrument: "HSC", id: 20130617 }),
  rec("visit", {
    instrument: "HSC",
    id: 27136,
    day_obs: 20130617,
    physical_filter: "HSC-R",
    name: "HSCA02713600",
    exposure_time: 30,
  }),
  rec("detector", { instrument: "HSC", id: 23, full_name: "0_26" }),
  rec("group", { instrument: "HSC", name: "g42" }),
  rec("exposure", {
    instrument: "HSC",
    id: 27136,
    obs_id: "HSCA02713600",
    day_obs: 20130617,
    group: "g42",
    physical_filter: "HSC-R",
  }),
]);

describe("FileTemplate.format", () => {
  it("fills dimension values, the dataset type and the run (daf_butler's testBasic)", () => {
    expect(format("{run}/{datasetType}/{visit:05d}/{physical_filter}", input(DUMMY))).toBe(
      "run2/calexp/00052/U",
    );
    expect(format("{run}/{datasetType}/{visit:05d}/{physical_filter}-trail", input(DUMMY))).toBe(
      "run2/calexp/00052/U-trail",
    );
    const trail = "{run}/{datasetType}/{visit:05d}/{physical_filter}-trail-{run}";
    expect(format(trail, input(DUMMY))).toBe("run2/calexp/00052/U-trail-run2");
    expect(format(trail, input(DUMMY, "calexp", "run/2"))).toBe("run_2/calexp/00052/U-trail-run_2");
  });

  it("keeps / in a value only with the / flag", () => {
    const template = "{run:/}/{datasetType}/{visit:05d}/{physical_filter}-trail-{run}";
    expect(format(template, input(DUMMY, "calexp", "run/2"))).toBe("run/2/calexp/00052/U-trail-run_2");
  });

  it("replaces . with _ and # with HASH in the file name only", () => {
    const dataId = std({ instrument: "dummy", visit: 52, physical_filter: "g.10#a" });
    const template = "{run:/}/{datasetType}/{visit:05d}/{physical_filter}-trail-{run}";
    expect(format(template, input(dataId, "calexp", "run.2"))).toBe(
      "run.2/calexp/00052/g_10HASHa-trail-run_2",
    );
    expect(format("{run}/{physical_filter}/{visit}", input(dataId))).toBe("run2/g.10#a/52");
  });

  it('replaces space < > : " \\ | ? * in values with _', () => {
    const dataId = std({ instrument: "dummy", visit: 52, physical_filter: 'a b<c>d:e"f\\g|h?i*j' });
    expect(format("{run}/{physical_filter}/{visit}", input(dataId))).toBe("run2/a_b_c_d_e_f_g_h_i_j/52");
  });

  it("drops a missing optional field with the text before it, unless that text holds a /", () => {
    const template = "{run}/{datasetType}/v{visit:05d}_f{physical_filter:?}";
    expect(format(template, input(DUMMY))).toBe("run2/calexp/v00052_fU");
    const noFilter = std({ visit: 48, tract: 265, skymap: "big", instrument: "dummy" });
    expect(format(template, input(noFilter, "calexpT"))).toBe("run2/calexpT/v00048");
    expect(format("{run}/{tract:?}/{visit:?}/f{physical_filter}", input(DUMMY))).toBe("run2/52/fU");
    expect(format("{run}/{datasetType}/{patch:?}/{tract:?}/f{physical_filter}", input(DUMMY))).toBe(
      "run2/calexp/fU",
    );
    expect(format("{run}/{datasetType}/p{patch:?}_t{tract:?}/f{physical_filter}", input(DUMMY))).toBe(
      "run2/calexp/p/fU",
    );
    expect(format("{run}/{datasetType}/p{patch:?}_t{visit:04d?}/f{physical_filter}", input(DUMMY))).toBe(
      "run2/calexp/p_t0052/fU",
    );
  });

  it("returns a relative path when the first field is optional and missing", () => {
    expect(format("{tract:?}/{run}/{visit}", input(DUMMY))).toBe("run2/52");
  });

  it("fills components and refuses a component the template does not use (daf_butler's testComponent)", () => {
    expect(format("{run}_c_{component}_v{visit}", input(DUMMY, "metric.output"))).toBe("run2_c_output_v52");
    const template = "{component:?}/{run}_{component:?}_{visit}";
    expect(format(template, input(DUMMY, "metric"))).toBe("run2_52");
    expect(format(template, input(DUMMY, "metric.output"))).toBe("output/run2_output_52");
    expect(format(template, input(DUMMY, "calexp.maskedimage.variance"))).toBe(
      "maskedimage.variance/run2_maskedimage_variance_52",
    );
    const error = templateError(() => format("{run}/{datasetType}/v{visit:05d}", input(DUMMY, "calexp.wcs")));
    expect(error.message).toBe(
      'File template "{run}/{datasetType}/v{visit:05d}" has no {component} field, but dataset type "calexp.wcs" is a component',
    );
    expect(error.hint).toBe("Add {component:?} to the template, as the default template does.");
  });

  it("names the field and the data ID when a mandatory value is missing", () => {
    const error = templateError(() => format("{run}/{tract}/{visit}", input(DUMMY)));
    expect(error.message).toBe(
      `File template "{run}/{tract}/{visit}" needs a value for "tract" (in "{tract}"), but dataset type "calexp" with data ID {instrument: 'dummy', visit: 52, physical_filter: 'U'} in run "run2" has none`,
    );
    expect(error.hint).toBe(
      'Make the field optional ("{tract:?}") or use a template that fits this dataset type.',
    );
    const alternates = templateError(() => format("{run}/{tract|patch:03d}/{visit}", input(DUMMY)));
    expect(alternates.message).toContain(
      'needs a value for one of "tract", "patch" (in "{tract|patch:03d}")',
    );
    expect(alternates.hint).toContain('"{tract|patch:03d?}"');
  });

  it("formats the spec's example with record fields and the skypix alias", async () => {
    const dataId = await expandDataId(std({ instrument: "HSC", visit: 27136, htm7: 12345 }), records);
    const template =
      "{run}/{datasetType}/{visit.name|exposure.obs_id|xyz}_{instrument}_{skypix}_{htm7}_{skypix.id}_{htm7.id}";
    expect(format(template, input(dataId, "warp", "test"))).toBe(
      "test/warp/HSCA02713600_HSC_12345_12345_12345_12345",
    );
  });

  it("picks the first alternate whose dimension is in the data ID", async () => {
    const template =
      "{run}/{day_obs|visit.day_obs|exposure.day_obs:?}/{exposure.obs_id|group:?}/{datasetType}_{visit:?}";
    const exposure = await expandDataId(std({ instrument: "HSC", exposure: 27136 }), records);
    expect(format(template, input(exposure, "raw"))).toBe("run2/20130617/HSCA02713600/raw");
    const group = std({ instrument: "HSC", group: "g42" });
    expect(format(template, input(group, "raw"))).toBe("run2/g42/raw");
    const visit = await expandDataId(std({ instrument: "HSC", visit: 27136 }), records);
    expect(format(template, input(visit))).toBe("run2/20130617/calexp_27136");
    const unexpanded = std({ instrument: "HSC", visit: 27136 });
    const error = templateError(() => format(template, input(unexpanded)));
    expect(error.message).toBe(
      `File template "${template}" uses record field "visit.day_obs" but data ID {instrument: 'HSC', visit: 27136} of dataset type "calexp" has no records attached`,
    );
    expect(error.hint).toBe("Expand the data ID first (expandDataId), or change the template.");
  });

  it("refuses record fields of a data ID without records, even optional ones, so paths never depend on expansion", () => {
    const visit = std({ instrument: "HSC", visit: 27136, detector: 23 });
    const error = templateError(() => format("{run}/{visit}_{detector.full_name:?}", input(visit)));
    expect(error.message).toContain('uses record field "detector.full_name" but data ID');
    expect(format("{run}/{visit}_{exposure.obs_id:?}", input(visit))).toBe("run2/27136");
  });

  it("treats null record values and unknown record fields of optional fields as missing", async () => {
    const dataId = await expandDataId(std({ instrument: "HSC", visit: 27136 }), records);
    expect(format("{run}/{visit}_{visit.target_name:?}_{visit.nickname:?}", input(dataId))).toBe(
      "run2/27136",
    );
    const error = templateError(() => format("{run}/{visit}_{visit.nickname}", input(dataId)));
    expect(error.message).toBe(
      'File template "{run}/{visit}_{visit.nickname}" uses "visit.nickname" but a visit record has no field "nickname"',
    );
  });

  it("prints float record fields as Python does and refuses regions and timespans", async () => {
    const dataId = await expandDataId(std({ instrument: "HSC", visit: 27136 }), records);
    expect(format("{run}/{visit}_{visit.exposure_time}", input(dataId))).toBe("run2/27136_30_0");
    expect(format("{run}/{visit.exposure_time}/{visit}", input(dataId))).toBe("run2/30.0/27136");
    expect(format("{run}/{visit.exposure_time:.2f}/{visit}", input(dataId))).toBe("run2/30.00/27136");
    const withRegion = await expandDataId(
      std({ instrument: "HSC", visit: 27136 }),
      new RecordTable([
        rec("instrument", { name: "HSC" }),
        rec("physical_filter", { instrument: "HSC", name: "HSC-R", band: "r" }),
        rec("day_obs", { instrument: "HSC", id: 20130617 }),
        rec("visit", {
          instrument: "HSC",
          id: 27136,
          day_obs: 20130617,
          physical_filter: "HSC-R",
          name: "HSCA02713600",
          region: new Uint8Array([1]),
        }),
      ]),
    );
    const error = templateError(() => format("{run}/{visit}_{visit.region}", input(withRegion)));
    expect(error.message).toBe(
      'File template "{run}/{visit}_{visit.region}" uses "visit.region", a region value, which cannot be part of a path',
    );
  });

  it("drops {skypix} when the data ID has no single skypix dimension", () => {
    const two = std({ htm7: 1, healpix8: 2 });
    expect(format("{run}/{htm7}_{healpix8}_{skypix:?}", input(two))).toBe("run2/1_2");
  });

  it("says which value a format spec does not fit", () => {
    const error = templateError(() => format("{run}/{physical_filter:08d}/{visit}", input(DUMMY)));
    expect(error.message).toBe(
      'File template "{run}/{physical_filter:08d}/{visit}" cannot format "U" (from "physical_filter") with "{physical_filter:08d}": format spec "08d" does not apply to a string',
    );
  });

  it("pads with standard specs, fill characters included as Python writes them", () => {
    expect(format("{run}/{physical_filter:>5}/{visit:x}", input(DUMMY))).toBe("run2/    U/34");
    expect(format("{run}/{physical_filter:*^5}/{visit:_>6,}", input(DUMMY))).toBe("run2/**U**/____52");
  });

  it("gives field names as daf_butler's fields() does", () => {
    const cases: [string, string[], string[], string[], string[]][] = [
      [
        "{run}/{datasetType}/{visit:05d}/{physical_filter}-trail",
        ["visit", "physical_filter"],
        [],
        ["run", "datasetType"],
        [],
      ],
      ["{run}/{component:?}_{visit}", ["visit"], [], ["run"], ["component"]],
      [
        "{run}/{component:?}_{visit:?}_{physical_filter}_{instrument}_{datasetType}",
        ["physical_filter", "instrument"],
        ["visit"],
        ["run", "datasetType"],
        ["component"],
      ],
    ];
    for (const [text, mandatory, optional, special, optionalSpecial] of cases) {
      const template = FileTemplate.parse(text);
      const sorted = (set: ReadonlySet<string>) => [...set].sort();
      expect(sorted(template.fields())).toEqual([...mandatory].sort());
      expect(sorted(template.fields({ optionals: true }))).toEqual([...mandatory, ...optional].sort());
      expect(sorted(template.fields({ specials: true }))).toEqual([...mandatory, ...special].sort());
      expect(sorted(template.fields({ specials: true, optionals: true }))).toEqual(
        [...mandatory, ...special, ...optional, ...optionalSpecial].sort(),
      );
    }
    const subfields = FileTemplate.parse("{run}/{visit.name|exposure.obs_id}_{detector}");
    expect([...subfields.fields({ subfields: true })]).toEqual(["visit.name", "exposure.obs_id", "detector"]);
    expect([...subfields.fields()]).toEqual(["visit", "exposure", "detector"]);
  });

  it("is a frozen value compared by text", () => {
    const template = FileTemplate.parse("{run}/{visit}");
    expect(Object.isFrozen(template)).toBe(true);
    expect(template.equals(FileTemplate.parse("{run}/{visit}"))).toBe(true);
    expect(template.equals(FileTemplate.parse("{run}/{visit:?}"))).toBe(false);
    expect(String(template)).toBe("{run}/{visit}");
  });
});

describe("FileTemplate.parse", () => {
  const cases: [string, string, string, string | undefined][] = [
    ["unbalanced }", "{run}/{visit}}x}", 'single "}" at position 13', 'Write "}}" for a literal brace.'],
    ["unclosed {", "{run}/{visit", '"{" at position 6 is never closed', 'Write "{{" for a literal brace.'],
    [
      "nested field",
      "{run}/{visit:{width}d}",
      'nested "{" at position 13; fields cannot contain fields',
      undefined,
    ],
    [
      "positional {}",
      "{run}/{}",
      'positional field "{}" at position 6; every field must be named',
      "Use a dimension name ({visit}), a record field ({detector.full_name}), or datasetType, component, run, id.",
    ],
    [
      "positional {0}",
      "{run}/{0}/{visit}",
      'positional field "{0}" at position 6; every field must be named',
      undefined,
    ],
    [
      "conversion",
      "{run}/{visit!r}",
      'conversion in field "{visit!r}" is not supported',
      "Remove the !r/!s/!a conversion.",
    ],
    [
      "bad name",
      "{run}/{visit.a.b}",
      '"visit.a.b" in field "{visit.a.b}" is not a field name',
      "Use a dimension name ({visit}) or dimension.field ({detector.full_name}).",
    ],
    ["bad spec", "{run}/{visit:08q}", 'field "{visit:08q}": "08q" is not a valid format spec', undefined],
    [
      "collection",
      "{collection}/{visit}",
      '"collection" is no longer supported as a field',
      'Use "run" instead.',
    ],
    [
      "no run or id",
      "{datasetType}/{visit:05d}/{physical_filter}",
      "it has neither {run} nor {id}, so paths would not be unique",
      "Add {run} to the template (or {id} in the file name).",
    ],
    [
      "no fields at all",
      "no fields at all",
      "it has neither {run} nor {id}, so paths would not be unique",
      undefined,
    ],
    [
      "no dimension",
      "{run}_{datasetType}",
      "no field refers to a dimension",
      "Add dimension fields such as {visit} or {detector}, or {id} in the file name.",
    ],
    [
      "parent directory",
      "{run}/../{visit}",
      'it has a ".." segment',
      "Templates must stay inside the datastore root.",
    ],
    ["trailing parent", "{run}/{visit}/..", 'it has a ".." segment', undefined],
    [
      "id in a directory",
      "{run}/{id}/fixed",
      "{id} is used but is not part of the file name",
      'Put {id} after the last "/" so that each dataset gets its own file.',
    ],
    [
      "backslash",
      "{run}\\{visit}",
      'literal text "\\\\" holds a backslash or a control character',
      'Separate directories with "/".',
    ],
    [
      "control character",
      "{run}/\u0007{visit}",
      'literal text "/\\u0007" holds a backslash or a control character',
      undefined,
    ],
  ];
  it.each(cases)("refuses %s", (_, text, reason, hint) => {
    const error = templateError(() => FileTemplate.parse(text));
    expect(error.message).toBe(`Invalid file template "${text}": ${reason}`);
    if (hint !== undefined) expect(error.hint).toBe(hint);
  });

  it("accepts {id} alone, {id} in the file name and escaped braces", () => {
    expect(format("{datasetType}/{id}", input(DUMMY))).toBe("calexp/0b1d4b7e-6d9f-4c4e-9d5e-3f3a1c2b7a10");
    expect(format("{{x}}/{run}_{visit}", input(DUMMY))).toBe("{x}/run2_52");
  });
});
