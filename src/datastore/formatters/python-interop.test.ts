import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { PROPERTY_OPTIONS } from "../../../test/support/property.ts";
import { describeWithPython, runPython } from "../../../test/support/python.ts";
import { decodeJson } from "./json-formatter.ts";
import { writePythonJson } from "./json-writer.ts";
import { readPyYaml } from "./pyyaml-reader.ts";
import { dumpPyYaml } from "./pyyaml-writer.ts";
import { loneSurrogateIndex } from "./utf8.ts";

/** Python's side: the dumps of each value, and what it reads back from ours. Non-finite floats travel as strings. */
const SCRIPT = `
import json, math, sys, yaml
SENTINELS = {"__NaN__": float("nan"), "__Inf__": float("inf"), "__-Inf__": float("-inf")}
def decode(v):
    if isinstance(v, str): return SENTINELS.get(v, v)
    if isinstance(v, list): return [decode(x) for x in v]
    if isinstance(v, dict): return {k: decode(x) for k, x in v.items()}
    return v
def encode(v):
    if isinstance(v, float) and not math.isfinite(v): return "__NaN__" if v != v else ("__Inf__" if v > 0 else "__-Inf__")
    if isinstance(v, list): return [encode(x) for x in v]
    if isinstance(v, dict): return {k: encode(x) for k, x in v.items()}
    return v
request = json.load(sys.stdin)
print(json.dumps({
    "yaml": [yaml.safe_dump(decode(v), sort_keys=False) for v in request["values"]],
    "json": [json.dumps(v, ensure_ascii=False) for v in request["jsonValues"]],
    "yamlRead": [encode(yaml.safe_load(text)) for text in request["ourYaml"]],
    "jsonRead": [encode(json.loads(text)) for text in request["ourJson"]],
}))
`;

interface PythonAnswer {
  readonly yaml: string[];
  readonly json: string[];
  readonly yamlRead: unknown[];
  readonly jsonRead: unknown[];
}

/** Plain data as JSON can carry it to Python (-0 becomes 0, non-finite numbers become sentinel strings). */
const carry = (value: unknown): unknown =>
  JSON.parse(
    JSON.stringify(value, (_key, v) =>
      typeof v === "number" && !Number.isFinite(v)
        ? Number.isNaN(v)
          ? "__NaN__"
          : v > 0
            ? "__Inf__"
            : "__-Inf__"
        : v,
    ),
  );

/**
 * Whether a value can be compared as JSON: no NaN or Infinity (we refuse them) and no lone surrogate
 * (Python writes it raw and then cannot encode it; we escape it).
 */
function jsonCanHold(value: unknown): boolean {
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value === "string") return loneSurrogateIndex(value) === -1;
  if (Array.isArray(value)) return value.every(jsonCanHold);
  if (value !== null && typeof value === "object") {
    return Object.entries(value).every(([k, v]) => loneSurrogateIndex(k) === -1 && jsonCanHold(v));
  }
  return true;
}

/** Characters that decide YAML quoting and folding, and words PyYAML reads as other types. */
const tricky = fc.constantFrom(
  ..." :#-?'\"\n\t\r\\[]{},&*!|>%@`~=<.+_0aby\u00e9\u00a0\u0085\u2028\ufeff\0\ud83d\ude00",
);
const words = fc.constantFrom(
  ..."yes no y n on Off null ~ 1.5 1e5 1.0e+5 0x1F 017 09 1_000 1:30 2021-06-01 << = --- ... - .inf .NaN true".split(
    " ",
  ),
  "",
  "- x",
);
const text = fc.oneof(
  words,
  fc.string({ unit: tricky, maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom("a", "b", " ", "xy", "\u00e9", "\n", "'"),
    minLength: 60,
    maxLength: 200,
  }),
  fc.string({ unit: "binary", maxLength: 6 }),
);
/** Numbers both sides write alike: doubles that are integers beyond 2^53 but below 1e21 are ints to Python, floats to us. */
const number = fc.oneof(
  fc.integer(),
  fc
    .double()
    .filter((x) => !(Number.isInteger(x) && Math.abs(x) > Number.MAX_SAFE_INTEGER && Math.abs(x) < 1e21)),
);
const key = fc.oneof(
  text,
  fc.string({ unit: fc.constantFrom("k", " ", "\u00e9"), minLength: 118, maxLength: 130 }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small" },
    text,
    number,
    fc.boolean(),
    fc.constant(null),
    tie("list"),
    tie("mapping"),
  ),
  list: fc.array(tie("value"), { maxLength: 4 }),
  mapping: fc.dictionary(key, tie("value"), { maxKeys: 4 }),
}));

describeWithPython("yaml", "YAML and JSON interoperability with Python (PyYAML, json)", (python) => {
  const values = fc.sample(value, { seed: PROPERTY_OPTIONS.seed, numRuns: 600 });
  const jsonValues = values.filter(jsonCanHold);
  const ourYaml = values.map((v) => dumpPyYaml(v));
  const ourJson = jsonValues.map((v) => writePythonJson(v));
  let answer: PythonAnswer;
  beforeAll(() => {
    answer = runPython<PythonAnswer>(python, SCRIPT, {
      values: values.map(carry),
      jsonValues,
      ourYaml,
      ourJson,
    });
  });

  it("writes YAML byte for byte as yaml.safe_dump(value, sort_keys=False)", () => {
    values.forEach((v, i) => {
      expect(ourYaml[i], JSON.stringify(carry(v))).toBe(answer.yaml[i]);
    });
  });

  it("writes YAML that PyYAML reads to the same values", () => {
    values.forEach((v, i) => {
      expect(answer.yamlRead[i]).toStrictEqual(carry(v));
    });
  });

  it("reads what PyYAML writes to the same values", () => {
    values.forEach((v, i) => {
      expect(carry(readPyYaml(new TextEncoder().encode(answer.yaml[i])))).toStrictEqual(carry(v));
    });
  });

  it("writes JSON byte for byte as json.dumps(value, ensure_ascii=False), which Python reads back", () => {
    expect(jsonValues.length).toBeGreaterThan(values.length / 2);
    jsonValues.forEach((v, i) => {
      expect(ourJson[i]).toBe(answer.json[i]);
      expect(answer.jsonRead[i]).toStrictEqual(carry(v));
      expect(carry(decodeJson(new TextEncoder().encode(ourJson[i])))).toStrictEqual(carry(v));
    });
  });
});
