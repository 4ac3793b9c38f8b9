/** Steps from the top of an object to a value inside it: keys and array indices. */
export type ValuePath = (string | number)[];

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A path as JavaScript would write it: `values[2]`, `a.b`, `a["odd key"]`, or `(top)` for the object itself. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return "(top)";
  let text = "";
  for (const step of path) {
    if (typeof step === "number") text += `[${step}]`;
    else if (IDENTIFIER.test(step)) text += text === "" ? step : `.${step}`;
    else text += `[${JSON.stringify(step)}]`;
  }
  return text;
}

/** What a value is, for messages: `a bigint`, `undefined`, `a Map`, `an array`, `a string`. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "number")
    return Number.isNaN(value) ? "NaN" : Number.isFinite(value) ? "a number" : String(value);
  if (typeof value === "object") {
    const name = Object.getPrototypeOf(value)?.constructor?.name;
    return isPlainObject(value)
      ? "a plain object"
      : `a ${typeof name === "string" && name !== "" ? name : "non-plain object"}`;
  }
  return `${/^[aeiou]/.test(typeof value) ? "an" : "a"} ${typeof value}`;
}

/** Whether `value` is a plain object (made by `{}`, JSON.parse or `Object.create(null)`), like Python's dict. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Whether `value` has a `toJSON` method, which `JSON.stringify` (and our writers) call to get what to write. */
export function hasToJson(value: unknown): value is { toJSON(key: string): unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === "function"
  );
}
