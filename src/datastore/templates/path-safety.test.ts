import { describe, expect, it } from "vitest";
import { defaultUniverse } from "../../dimensions/default-universe.ts";
import { standardizeDataId } from "../../dimensions/standardize-data-id.ts";
import { FileTemplateError } from "../../errors.ts";
import { FileTemplate } from "./file-template.ts";
import { finishPath, forbiddenCharacter, sanitizeValue } from "./path-safety.ts";

const universe = defaultUniverse();
const TEMPLATE = FileTemplate.parse(
  "{run:/}/{datasetType}/{physical_filter}/{visit}/{datasetType}_{physical_filter}_{visit}_{run}",
);

/** The path for a data ID value (`physical_filter`) and a run name kept whole by `{run:/}`. */
function pathFor(physicalFilter: string, run = "run"): string {
  const dataId = standardizeDataId(universe, {
    instrument: "Cam",
    visit: 7,
    physical_filter: physicalFilter,
  });
  return TEMPLATE.format({ datasetType: "calexp", component: null, run, id: "x", dataId });
}

function refusal(fn: () => unknown): FileTemplateError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(FileTemplateError);
    return error as FileTemplateError;
  }
  throw new Error("expected a FileTemplateError");
}

describe("file template path safety: data ID values", () => {
  it.each([
    ["../", "run/calexp/.._/7/calexp_____7_run"],
    ["/etc/passwd", "run/calexp/_etc_passwd/7/calexp__etc_passwd_7_run"],
    ["a\\b", "run/calexp/a_b/7/calexp_a_b_7_run"],
    ["C:\\Windows", "run/calexp/C__Windows/7/calexp_C__Windows_7_run"],
    ["\uFF0E\uFF0E/", "run/calexp/___/7/calexp_____7_run"],
    ["a\u2215b\u2044c\uFF0Fd\uFF3Ce\uFE68f\u29F8g", "run/calexp/a_b_c_d_e_f_g/7/calexp_a_b_c_d_e_f_g_7_run"],
    ["\u2025", "run/calexp/_/7/calexp___7_run"],
    ["\u2024\u2024", "run/calexp/__/7/calexp____7_run"],
    ["x\u00A5y\u20A9z", "run/calexp/x_y_z/7/calexp_x_y_z_7_run"],
    ["a#b", "run/calexp/a#b/7/calexp_aHASHb_7_run"],
  ])("neutralises %j", (value, expected) => {
    expect(pathFor(value)).toBe(expected);
  });

  it("keeps ordinary non-ASCII names", () => {
    expect(pathFor("Öland-日本")).toBe("run/calexp/Öland-日本/7/calexp_Öland-日本_7_run");
  });

  it('refuses a value that is a ".." segment, naming the template, data ID and run', () => {
    const error = refusal(() => pathFor(".."));
    expect(error.message).toBe(
      `File template "${TEMPLATE}" would put dataset type "calexp" with data ID {instrument: 'Cam', visit: 7, physical_filter: '..'} in run "run" outside the datastore root: "run/calexp/../7/calexp_.._7_run" has a ".." segment`,
    );
    expect(error.hint).toBe(
      'A value (or a run name kept whole by {run:/}) makes a ".." path segment; rename it.',
    );
  });

  it('drops a value that is a "." segment, as normalizing does, without leaving the root', () => {
    expect(pathFor(".")).toBe("run/calexp/7/calexp___7_run");
  });

  it.each([
    ["a\u0000b", "U+0000"],
    ["a\nb", "U+000A"],
    ["a\u007Fb", "U+007F"],
    ["a\u0085b", "U+0085"],
    ["a\u2028b", "U+2028"],
    ["\u202Egnp.exe", "U+202E"],
    ["\u2066x", "U+2066"],
    ["a\uD800b", "U+D800"],
    ["a\uDC00", "U+DC00"],
  ])("refuses %j, which holds %s", (value, code) => {
    const error = refusal(() => pathFor(value));
    expect(error.message).toBe(
      `File template "${TEMPLATE}" cannot use the value of "physical_filter" for dataset type "calexp" in run "run": ${JSON.stringify(value)} contains ${code}, which may not appear in a path`,
    );
  });

  it("accepts a well-formed surrogate pair", () => {
    expect(pathFor("a😀b")).toBe("run/calexp/a😀b/7/calexp_a😀b_7_run");
  });
});

describe("file template path safety: run names with {run:/}", () => {
  it.each([
    ["/etc/passwd", "etc/passwd/calexp/U/7/calexp_U_7__etc_passwd"],
    ["//server/share", "server/share/calexp/U/7/calexp_U_7___server_share"],
    ["a/./b", "a/b/calexp/U/7/calexp_U_7_a___b"],
    ["a//b/", "a/b/calexp/U/7/calexp_U_7_a__b_"],
    ["\uFF0E\uFF0E/x", "__/x/calexp/U/7/calexp_U_7____x"],
    ["u\uFF0Fsomeone", "u_someone/calexp/U/7/calexp_U_7_u_someone"],
    [
      "HSC/runs/ci_hsc/20240806T180642Z",
      "HSC/runs/ci_hsc/20240806T180642Z/calexp/U/7/calexp_U_7_HSC_runs_ci_hsc_20240806T180642Z",
    ],
  ])("keeps %j inside the root", (run, expected) => {
    expect(pathFor("U", run)).toBe(expected);
  });

  it.each(["..", "../../etc", "a/../../b", "a/..", "../"])(
    'refuses the run %j, which makes a ".." segment',
    (run) => {
      expect(refusal(() => pathFor("U", run)).message).toContain('has a ".." segment');
    },
  );

  it("refuses control characters in a run name", () => {
    expect(refusal(() => pathFor("U", "a\u0000b")).message).toContain('"a\\u0000b" contains U+0000');
  });

  it("refuses a template whose optional parts can leave nothing", () => {
    const template = FileTemplate.parse("{run:?}/{visit:?}");
    const dataId = standardizeDataId(universe, { instrument: "Cam", detector: 1 });
    const error = refusal(() =>
      template.format({ datasetType: "x", component: null, run: "", id: "x", dataId }),
    );
    expect(error.message).toBe(
      `File template "{run:?}/{visit:?}" gives an empty path for dataset type "x" with data ID {instrument: 'Cam', detector: 1}`,
    );
  });
});

describe("path-safety helpers", () => {
  it("finishPath normalizes, strips the leading / and refuses .. segments", () => {
    expect(finishPath("/a//b/./c.d#e")).toBe("a/b/c_dHASHe");
    expect(finishPath("a/b/")).toBe("a/b");
    expect(finishPath("a/../b")).toEqual({ problem: "parent" });
    expect(finishPath("/./")).toEqual({ problem: "empty" });
  });

  it("sanitizeValue keeps / only when asked", () => {
    expect(sanitizeValue("a/b c", false)).toBe("a_b_c");
    expect(sanitizeValue("a/b c", true)).toBe("a/b_c");
  });

  it("forbiddenCharacter finds nothing in ordinary text", () => {
    expect(forbiddenCharacter("HSC-R2 Öland 😀")).toBeNull();
  });
});
