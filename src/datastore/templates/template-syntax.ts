import { FileTemplateError } from "../../errors.ts";
import { type FormatSpec, parseFormatSpec } from "./format-spec.ts";

/** Fields that name something about the dataset rather than a dimension. */
export const SPECIAL_FIELDS: ReadonlySet<string> = new Set(["run", "id", "datasetType", "component"]);

/** Where a template field's value comes from. */
export type FieldKind = "special" | "dimension" | "record";

/** One name in a field: `visit`, `run`, or `exposure.obs_id` (element `exposure`, attribute `obs_id`). */
export interface FieldRef {
  /** The name as written. */
  readonly name: string;
  /** The dimension (or special name) the value belongs to: `exposure` for `exposure.obs_id`. */
  readonly element: string;
  /** The record field after the dot, or null. */
  readonly attribute: string | null;
  readonly kind: FieldKind;
}

/** A `{...}` field: its alternates (`a|b|c`), daf_butler's `?` and `/` flags and the standard format spec. */
export interface TemplateField {
  /** The field as written, braces included. */
  readonly source: string;
  readonly alternates: readonly FieldRef[];
  /** `?`: a missing value drops the field and the literal text before it (unless that holds a `/`). */
  readonly optional: boolean;
  /** `/`: keep `/` in the value instead of replacing it with `_`. */
  readonly keepSlash: boolean;
  readonly spec: FormatSpec;
}

/** Literal text followed by a field (null after the last field). */
export interface TemplatePart {
  readonly literal: string;
  readonly field: TemplateField | null;
}

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/** A FileTemplateError about the template text itself. */
export function invalidTemplate(text: string, reason: string, hint?: string): FileTemplateError {
  return new FileTemplateError(`Invalid file template "${text}": ${reason}`, { hint });
}

/**
 * Split a template into literal text and fields, as Python's `string.Formatter.parse` does (`{{` and `}}`
 * are literal braces), with every field named.
 * @throws {FileTemplateError} for unbalanced braces, positional or malformed fields, conversions (`!r`),
 *   nested fields in a format spec, or an invalid format spec.
 */
export function parseTemplateText(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let literal = "";
  let i = 0;
  while (i < text.length) {
    const char = text[i] as string;
    if (char === "}") {
      if (text[i + 1] !== "}") {
        throw invalidTemplate(text, `single "}" at position ${i}`, 'Write "}}" for a literal brace.');
      }
      literal += "}";
      i += 2;
    } else if (char !== "{") {
      literal += char;
      i++;
    } else if (text[i + 1] === "{") {
      literal += "{";
      i += 2;
    } else {
      const end = text.indexOf("}", i + 1);
      const nested = text.indexOf("{", i + 1);
      if (end < 0) {
        throw invalidTemplate(
          text,
          `"{" at position ${i} is never closed`,
          'Write "{{" for a literal brace.',
        );
      }
      if (nested >= 0 && nested < end) {
        throw invalidTemplate(text, `nested "{" at position ${nested}; fields cannot contain fields`);
      }
      parts.push({ literal, field: parseField(text, text.slice(i, end + 1), i) });
      literal = "";
      i = end + 1;
    }
  }
  parts.push({ literal, field: null });
  return parts;
}

function parseField(text: string, source: string, position: number): TemplateField {
  const body = source.slice(1, -1);
  const colon = body.indexOf(":");
  const nameText = colon < 0 ? body : body.slice(0, colon);
  const specText = colon < 0 ? "" : body.slice(colon + 1);
  if (nameText.includes("!")) {
    throw invalidTemplate(
      text,
      `conversion in field "${source}" is not supported`,
      "Remove the !r/!s/!a conversion.",
    );
  }
  const alternates = nameText.split("|").map((name) => fieldRef(text, name, source, position));
  const spec = parseFormatSpec(specText.replaceAll("?", "").replaceAll("/", ""));
  if (typeof spec === "string") throw invalidTemplate(text, `field "${source}": ${spec}`);
  return Object.freeze({
    source,
    alternates: Object.freeze(alternates),
    optional: specText.includes("?"),
    keepSlash: specText.includes("/"),
    spec,
  });
}

function fieldRef(text: string, name: string, source: string, position: number): FieldRef {
  if (name === "" || /^\d/.test(name)) {
    throw invalidTemplate(
      text,
      `positional field "${source}" at position ${position}; every field must be named`,
      "Use a dimension name ({visit}), a record field ({detector.full_name}), or datasetType, component, run, id.",
    );
  }
  if (!FIELD_NAME.test(name)) {
    throw invalidTemplate(
      text,
      `"${name}" in field "${source}" is not a field name`,
      "Use a dimension name ({visit}) or dimension.field ({detector.full_name}).",
    );
  }
  const dot = name.indexOf(".");
  if (dot >= 0) {
    return Object.freeze({
      name,
      element: name.slice(0, dot),
      attribute: name.slice(dot + 1),
      kind: "record",
    });
  }
  return Object.freeze({
    name,
    element: name,
    attribute: null,
    kind: SPECIAL_FIELDS.has(name) ? "special" : "dimension",
  });
}
