import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../../test/support/property.ts";
import { describeWithPython, runPython } from "../../../test/support/python.ts";
import { emitYaml, type YamlNode } from "./emit-yaml.ts";

function str(text: string): YamlNode {
  return { kind: "scalar", text };
}

/** A value at the top level and nested two levels deep (in a sequence item and a mapping in it). */
function nested(text: string): YamlNode {
  return {
    kind: "map",
    entries: [
      ["top", str(text)],
      ["nested", { kind: "seq", items: [str(text), { kind: "map", entries: [["key", str(text)]] }] }],
    ],
  };
}

describe("emitYaml()", () => {
  it.each([
    ["plain", "abc", "v: abc\n"],
    ["a YAML 1.1 boolean", "yes", "v: 'yes'\n"],
    ["a YAML 1.1 integer", "1_53", "v: '1_53'\n"],
    ["not an integer in YAML 1.1", "0_29", "v: 0_29\n"],
    ["a timestamp", "2025-12-03T07:58:10.858", "v: '2025-12-03T07:58:10.858'\n"],
    ["empty", "", "v: ''\n"],
    ["an indicator", "- a", "v: '- a'\n"],
    ["a quote", "it's", "v: it's\n"],
    ["a leading quote", "'a'", "v: '''a'''\n"],
    ["a line break", "a\nb", "v: 'a\n\n  b'\n"],
    ["a tab", "a\tb", 'v: "a\\tb"\n'],
    ["non-ASCII", "é😀", 'v: "\\xE9\\U0001F600"\n'],
    ["a space before a break", "a \nb", 'v: "a \\nb"\n'],
  ])("writes %s string as PyYAML does", (_, text, expected) => {
    expect(emitYaml({ kind: "map", entries: [["v", str(text)]] })).toBe(expected);
  });

  it("folds long plain and quoted scalars at spaces past column 80", () => {
    const words = "word ".repeat(20).trim();
    expect(emitYaml({ kind: "map", entries: [["key", str(words)]] })).toBe(
      `key: ${"word ".repeat(15)}word\n  ${"word ".repeat(3)}word\n`,
    );
    expect(emitYaml({ kind: "map", entries: [["key", str(`- ${words}`)]] })).toBe(
      `key: '- ${"word ".repeat(14)}word\n  ${"word ".repeat(4)}word'\n`,
    );
  });

  it("writes empty collections in flow style and sequences in mappings without indentation", () => {
    expect(
      emitYaml({
        kind: "map",
        entries: [
          ["a", { kind: "seq", items: [] }],
          ["b", { kind: "map", entries: [] }],
          ["c", { kind: "seq", items: [str("x"), { kind: "seq", items: [str("y"), str("z")] }] }],
          ["d", { kind: "map", tag: "!t", entries: [["e", { kind: "scalar", text: "1", implicit: true }]] }],
        ],
      }),
    ).toBe("a: []\nb: {}\nc:\n- x\n- - y\n  - z\nd: !t\n  e: 1\n");
  });
});

describeWithPython("yaml", "emitYaml() agrees with PyYAML", (python) => {
  it("on any string, at any depth", () => {
    const strings = fc.sample(
      fc.oneof(
        fc.string(),
        fc.string({ unit: "grapheme", maxLength: 100 }),
        fc
          .array(
            fc.constantFrom(
              "a",
              "bc",
              " ",
              "  ",
              "\n",
              "'",
              '"',
              ":",
              "#",
              "-",
              "?",
              "1",
              ".",
              "é",
              "\t",
              "\\",
            ),
            { maxLength: 80 },
          )
          .map((parts) => parts.join("")),
      ),
      { ...PROPERTY_OPTIONS, numRuns: 2000 },
    );
    const expected = runPython<string[]>(
      python,
      "import json, sys, yaml\nprint(json.dumps([yaml.dump({'top': s, 'nested': [s, {'key': s}]}, sort_keys=False) for s in json.load(sys.stdin)]))",
      strings,
    );
    expect(strings.map((text) => emitYaml(nested(text)))).toEqual(expected);
  });

  it("on any tree of tagged, implicit and literal scalars, tagged collections and long keys", () => {
    const roots = fc.sample(node, { ...PROPERTY_OPTIONS, numRuns: 2000 });
    const expected = runPython<string[]>(python, SERIALIZE, roots);
    expect(roots.map((root) => emitYaml(root))).toEqual(expected);
  });
});

/** PyYAML's own nodes for ours, serialized: an implicit scalar gets the tag PyYAML resolves its text to. */
const SERIALIZE = `import json, sys, yaml
resolver = yaml.resolver.Resolver()
def build(n):
    tag = n.get("tag")
    if n["kind"] == "scalar":
        if tag is None:
            tag = resolver.resolve(yaml.ScalarNode, n["text"], (True, False)) if n.get("implicit") else "tag:yaml.org,2002:str"
        return yaml.ScalarNode(tag, n["text"], style="|" if n.get("literal") else None)
    if n["kind"] == "seq":
        return yaml.SequenceNode(tag or "tag:yaml.org,2002:seq", [build(i) for i in n["items"]], flow_style=False)
    pairs = [(yaml.ScalarNode("tag:yaml.org,2002:str", k), build(v)) for k, v in n["entries"]]
    return yaml.MappingNode(tag or "tag:yaml.org,2002:map", pairs, flow_style=False)
print(json.dumps([yaml.serialize(build(n)) for n in json.load(sys.stdin)]))`;

/** Text that decides quoting, folding and block hints. */
const text = fc.oneof(
  fc.string({
    unit: fc.constantFrom(
      ..." :#-?'\"\n\t\\[]{},&!|>%@~=<.+_0ay\u00e9\u00a0\u2028\ud83d\ude00".split(""),
      "\ud83d\ude00",
    ),
    maxLength: 12,
  }),
  fc.string({ unit: fc.constantFrom("a", "bc", " ", "\n", "'"), minLength: 40, maxLength: 200 }),
  fc.constantFrom("", "yes", "1.5", "null", "<<", "2021-06-01", "---", "..."),
);

const { node } = fc.letrec<{ node: YamlNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small" },
    text.map((t): YamlNode => ({ kind: "scalar", text: t })),
    fc
      .constantFrom("1", "-7", "null", "true", "30.0", "1.0e-07", "-.inf")
      .map((t): YamlNode => ({ kind: "scalar", text: t, implicit: true })),
    fc
      .tuple(text, fc.constantFrom("!uuid", "lsst.sphgeom.ConvexPolygon", "tag:yaml.org,2002:binary"))
      .map(([t, tag]): YamlNode => ({ kind: "scalar", text: t, tag })),
    fc.tuple(text, fc.boolean()).map(
      ([t, binary]): YamlNode => ({
        kind: "scalar",
        text: t,
        literal: true,
        ...(binary ? { tag: "tag:yaml.org,2002:binary" } : {}),
      }),
    ),
    fc
      .tuple(fc.array(tie("node"), { maxLength: 3 }), fc.option(fc.constant("!butler_list")))
      .map(([items, tag]): YamlNode => ({ kind: "seq", items, ...(tag === null ? {} : { tag }) })),
    fc
      .tuple(
        fc.array(
          fc.tuple(
            fc.oneof(text, fc.string({ unit: fc.constantFrom("k", " "), minLength: 120, maxLength: 125 })),
            tie("node"),
          ),
          {
            maxLength: 3,
          },
        ),
        fc.option(fc.constantFrom("!lsst.daf.butler.Timespan", "lsst.utils.packages.Packages")),
      )
      .map(([entries, tag]): YamlNode => ({ kind: "map", entries, ...(tag === null ? {} : { tag }) })),
  ),
}));
