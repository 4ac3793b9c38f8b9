import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { PROPERTY_OPTIONS } from "../../test/support/property.ts";
import { describeWithFixtures, fixturePath } from "../../test/support/shared-fixtures.ts";
import { emitYaml, type YamlNode as OutNode } from "../util/pyyaml/emit-yaml.ts";
import { fastLoadYaml } from "./fast-yaml.ts";
import { composeYaml, loadYaml } from "./load-yaml.ts";
import { Tagged } from "./yaml-value.ts";

type Plain = null | boolean | number | string | Plain[] | { [key: string]: Plain };

const plain: fc.Arbitrary<Plain> = fc.letrec<{ value: Plain }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.oneof(
      fc.constantFrom("", "yes", "1_0", "a: b", "- a", "#", "'", "a\nb", " x", "[x]"),
      fc.string(),
      fc.string({ unit: "binary" }),
    ),
    fc.array(tie("value"), { maxLength: 4 }),
    fc.dictionary(fc.stringMatching(/^[a-z][a-z_]{0,8}$/), tie("value"), { maxKeys: 4 }),
  ),
})).value;

/** The node PyYAML would write for a plain value. */
function toNode(value: Plain): OutNode {
  if (value === null || typeof value === "boolean" || typeof value === "number") {
    return { kind: "scalar", text: String(value), implicit: true };
  }
  if (typeof value === "string") return { kind: "scalar", text: value };
  if (Array.isArray(value)) return { kind: "seq", items: value.map(toNode) };
  return { kind: "map", entries: Object.entries(value).map(([key, item]) => [key, toNode(item)]) };
}

describeWithFixtures("fastLoadYaml() on daf_butler's test files", () => {
  it.each([
    "base.yaml",
    "datasets.yaml",
    "spatial.yaml",
    "ci_hsc-subset.yaml",
    "hsc-rc2-subset.yaml",
    "hsc-rc2-subset-v0.yaml",
  ])("reads %s, giving what the full parser gives", (name) => {
    const text = readFileSync(fixturePath("registry_data", name), "utf8");
    const fast = fastLoadYaml(text);
    expect(fast).toBeDefined();
    expect(fast).toEqual(composeYaml(text, name));
  });
});

describe("fastLoadYaml()", () => {
  it("reads everything the PyYAML-style emitter writes, as the full parser does", () => {
    fc.assert(
      fc.property(plain, (value) => {
        // Under a key, as in export files: a plain scalar at the root gets PyYAML's "..." end marker.
        const text = emitYaml(toNode({ v: value }));
        const fast = fastLoadYaml(text);
        expect(fast).toBeDefined();
        expect(fast).toEqual(composeYaml(text, "emitted.yaml"));
      }),
      PROPERTY_OPTIONS,
    );
  });

  it("agrees with the full parser on other layouts, or leaves them to it", () => {
    fc.assert(
      fc.property(
        plain,
        fc.constantFrom<YAML.ToStringOptions>(
          {},
          { collectionStyle: "flow" },
          { defaultStringType: "QUOTE_DOUBLE" },
          { indentSeq: false, indent: 4 },
        ),
        (value, options) => {
          const text = YAML.stringify(value, options);
          const fast = fastLoadYaml(text);
          if (fast !== undefined) expect(fast).toEqual(composeYaml(text, "other.yaml"));
        },
      ),
      PROPERTY_OPTIONS,
    );
  });

  it("keeps custom tags, resolves core tags", () => {
    const text =
      "a: !uuid E15AB039\nb: !<lsst.sphgeom.Box>\n  encoded: '62'\nc: !!str 12\nd: !!int '0x1F'\ne: [!uuid x, y]\nf: !lsst.daf.butler.Timespan EMPTY\n";
    const expected = new Map<string, unknown>([
      ["a", new Tagged("!uuid", "E15AB039")],
      ["b", new Tagged("lsst.sphgeom.Box", new Map([["encoded", "62"]]))],
      ["c", "12"],
      ["d", 31],
      ["e", [new Tagged("!uuid", "x"), "y"]],
      ["f", new Tagged("!lsst.daf.butler.Timespan", "EMPTY")],
    ]);
    expect(fastLoadYaml(text)).toEqual(expected);
    expect(composeYaml(text, "t.yaml")).toEqual(expected);
  });

  it.each([
    ["anchors and aliases", "a: &x 1\nb: *x\n"],
    ["flow mappings", "a: {b: 1}\n"],
    ["explicit keys", "? a\n: 1\n"],
    ["document markers", "---\na: 1\n"],
    ["tabs", "a:\t1\n"],
    ["duplicate keys", "a: 1\na: 2\n"],
    ["bad indentation", "a:\n  b: 1\n c: 2\n"],
  ])("leaves %s to the full parser", (_, text) => {
    expect(fastLoadYaml(text)).toBeUndefined();
  });

  it("lets loadYaml() read what the fast path leaves", () => {
    expect(loadYaml("a: &x [1, 2]\nb: *x\nc: {d: yes}\n", "t.yaml")).toEqual(
      new Map<string, unknown>([
        ["a", [1, 2]],
        ["b", [1, 2]],
        ["c", new Map([["d", true]])],
      ]),
    );
  });
});
