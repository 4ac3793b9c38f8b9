import { FormatterError } from "../../errors.ts";
import { pythonNumber } from "./python-number.ts";
import { describeValue, formatPath, hasToJson, isPlainObject, type ValuePath } from "./value-path.ts";

/**
 * JSON text of `value` as daf_butler's JsonFormatter writes a dict (Python's `json.dumps(obj,
 * ensure_ascii=False)`): one line, `", "` between items and `": "` after keys, non-ASCII characters kept,
 * numbers as Python writes them. Objects with a `toJSON` method are written as what it returns, as
 * `JSON.stringify` does.
 * @throws {FormatterError} for a value JSON cannot hold (bigint, NaN, Infinity, undefined, function,
 * symbol, a cycle, a non-plain object), naming its path inside `value`.
 */
export function writePythonJson(value: unknown): string {
  const path: ValuePath = [];
  const ancestors: object[] = [];

  function write(raw: unknown, key: string): string {
    const value = hasToJson(raw) ? raw.toJSON(key) : raw;
    switch (typeof value) {
      case "string":
        return JSON.stringify(value);
      case "boolean":
        return value ? "true" : "false";
      case "number":
        if (Number.isFinite(value)) return pythonNumber(value);
        return fail(
          path,
          describeValue(value),
          "JSON has no NaN or Infinity: use null, or the yaml formatter (.nan, .inf).",
        );
      case "object":
        break;
      default:
        return fail(path, describeValue(value), HINTS[typeof value] ?? "Only data can be written as JSON.");
    }
    if (value === null) return "null";
    if (ancestors.includes(value)) {
      return fail(
        path,
        "a circular reference",
        "JSON cannot hold cycles: copy the shared part or break the cycle.",
      );
    }
    ancestors.push(value);
    let text: string;
    if (Array.isArray(value)) {
      const items: string[] = [];
      for (let i = 0; i < value.length; i++) {
        path.push(i);
        items.push(write(value[i], String(i)));
        path.pop();
      }
      text = `[${items.join(", ")}]`;
    } else if (isPlainObject(value)) {
      const items: string[] = [];
      for (const name of Object.keys(value)) {
        path.push(name);
        items.push(`${JSON.stringify(name)}: ${write(value[name], name)}`);
        path.pop();
      }
      text = `{${items.join(", ")}}`;
    } else {
      return fail(
        path,
        describeValue(value),
        "Convert it to a plain object or array, or give it a toJSON() method.",
      );
    }
    ancestors.pop();
    return text;
  }

  return write(value, "");
}

const HINTS: Record<string, string> = {
  bigint:
    "JSON numbers here are JavaScript numbers: convert it with Number(), or to a string when it exceeds 2^53.",
  undefined: "JSON has no undefined: use null, or leave the key out.",
  function: "Only data can be written: remove the function.",
  symbol: "Only data can be written: remove the symbol.",
};

function fail(path: ValuePath, what: string, hint: string): never {
  throw new FormatterError(`Cannot write ${what} as JSON at ${formatPath(path)}`, { hint });
}
