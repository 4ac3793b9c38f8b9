import type { DatasetType } from "../../datasets/dataset-type.ts";
import type { DataCoordinate } from "../../dimensions/data-coordinate.ts";
import { type RecordValue, recordFieldSpecs } from "../../dimensions/dimension-record.ts";
import { FileTemplateError } from "../../errors.ts";
import { didYouMean } from "../../util/suggest.ts";
import { SpecMismatch, type SpecValue } from "./format-spec.ts";
import { finishPath, forbiddenCharacter, sanitizeValue } from "./path-safety.ts";
import {
  type FieldRef,
  invalidTemplate,
  parseTemplateText,
  type TemplateField,
  type TemplatePart,
} from "./template-syntax.ts";

/** What a template is formatted with: one dataset's type, run, ID and data ID. */
export interface TemplateInput {
  /** Name of the parent dataset type (`calexp` for `calexp.wcs`). */
  readonly datasetType: string;
  /** The component (`wcs`), or null for a parent dataset. */
  readonly component: string | null;
  readonly run: string;
  /** The dataset ID (a UUID string). */
  readonly id: string;
  /** The data ID; record fields such as `{detector.full_name}` need it expanded. */
  readonly dataId: DataCoordinate;
}

/** Which field names {@link FileTemplate.fields} returns. */
export interface FieldsOptions {
  /** Include optional (`?`) fields. */
  readonly optionals?: boolean;
  /** Include `run`, `id`, `datasetType` and `component`. */
  readonly specials?: boolean;
  /** Give record fields as written (`detector.full_name`) rather than by dimension (`detector`). */
  readonly subfields?: boolean;
}

/** A resolved value, and whether a number is a Python float (`30.0`, not `30`). */
interface Resolved {
  readonly value: SpecValue;
  readonly isFloat: boolean;
}

const PARENT_SEGMENT = /(^|\/)\.\.(\/|$)/;

/**
 * A daf_butler file template: Python format-string syntax with named fields (dimensions, `dimension.field`
 * record fields, `datasetType`, `component`, `run`, `id`, `skypix`), `?` for optional fields, `/` to keep
 * slashes in a value, and `a|b|c` alternates. Parsed once; {@link FileTemplate.format} renders the parsed
 * parts, so it is cheap to call for every dataset of a large put. Frozen.
 *
 * @example FileTemplate.parse("{run:/}/{datasetType}/{visit:08d}/{datasetType}_{visit}_{run}").format(input)
 */
export class FileTemplate {
  /** The template as written. */
  readonly text: string;
  readonly #parts: readonly TemplatePart[];
  readonly #usesComponent: boolean;

  private constructor(text: string, parts: readonly TemplatePart[]) {
    this.text = text;
    this.#parts = parts;
    this.#usesComponent = parts.some((p) => p.field?.alternates.some((a) => a.name === "component"));
    Object.freeze(this);
  }

  /**
   * Parse a template and check what can be checked without a dataset type (daf_butler's
   * `validateTemplate(None)`): a `run` or `id` field, a dimension field unless `{id}` is used, `{id}` in the
   * file name, no `collection` field, no `..` segment, no backslash or control character.
   * @throws {FileTemplateError} for malformed text or a broken rule; the message quotes the template.
   */
  static parse(text: string): FileTemplate {
    if (typeof text !== "string") {
      throw new FileTemplateError(`A file template must be a string, not ${JSON.stringify(text)}`);
    }
    const parts = parseTemplateText(text);
    checkRules(text, parts);
    return new FileTemplate(text, Object.freeze(parts.map((p) => Object.freeze(p))));
  }

  /** Field names used, as daf_butler's `FileTemplate.fields()`: by default the mandatory dimension fields. */
  fields(options: FieldsOptions = {}): ReadonlySet<string> {
    const names = new Set<string>();
    for (const { field } of this.#parts) {
      if (field === null || (field.optional && !options.optionals)) continue;
      for (const ref of field.alternates) {
        if (ref.kind === "special" && !options.specials) continue;
        names.add(ref.kind === "record" && !options.subfields ? ref.element : ref.name);
      }
    }
    return names;
  }

  /**
   * The relative path (without extension) of a dataset. Safe whatever the values: the result never
   * leaves the root (see path-safety.ts for what is replaced and what is refused).
   *
   * As in daf_butler, a record field whose dimension is in the data ID needs the data ID expanded even when
   * the field is optional: otherwise one dataset could get two paths, depending on whether its data ID was
   * expanded. Unlike daf_butler, a null record value counts as missing rather than printing `None`.
   * @throws {FileTemplateError} for a missing mandatory value, a record field of a data ID without
   *   records, an unused component, a value the format spec does not fit, a control character in a value,
   *   or a path with a `..` segment or nothing in it.
   */
  format(input: TemplateInput): string {
    if (input.component !== null && !this.#usesComponent) {
      throw new FileTemplateError(
        `File template "${this.text}" has no {component} field, but dataset type "${input.datasetType}.${input.component}" is a component`,
        { hint: "Add {component:?} to the template, as the default template does." },
      );
    }
    const group = input.dataId.dimensions;
    const skypix = group.skypix.length === 1 ? (group.skypix[0] as string) : undefined;
    let output = "";
    for (const { literal, field } of this.#parts) {
      if (field === null) {
        output += literal;
        continue;
      }
      const ref = chooseAlternate(field.alternates, input, skypix);
      const resolved = this.#resolve(field, ref, input, skypix);
      if (resolved === undefined) {
        if (!field.optional) throw this.#missing(field, input);
        if (literal.includes("/")) output += literal;
        continue;
      }
      output += literal + this.#render(field, ref, resolved, input);
    }
    const path = finishPath(output);
    if (typeof path === "string") return path;
    if (path.problem === "parent") {
      throw new FileTemplateError(
        `File template "${this.text}" would put dataset type "${input.datasetType}" with data ID ${input.dataId} in run "${input.run}" outside the datastore root: "${output}" has a ".." segment`,
        { hint: 'A value (or a run name kept whole by {run:/}) makes a ".." path segment; rename it.' },
      );
    }
    throw new FileTemplateError(
      `File template "${this.text}" gives an empty path for dataset type "${input.datasetType}" with data ID ${input.dataId}`,
      { hint: "Make at least one field of the template mandatory." },
    );
  }

  /**
   * Check that the template makes unique, complete paths for `datasetType` (daf_butler's
   * `validateTemplate`): a component type needs a `component` field and a parent type must not require
   * one; every mandatory field is a dimension of the type (record fields by their dimension); every required
   * dimension of the type appears, optional or not; record fields exist. A skypix dimension may be written as
   * its own name or as `skypix`.
   * @throws {FileTemplateError} naming the template, the dataset type and the rule broken.
   */
  validate(datasetType: DatasetType): void {
    const group = datasetType.dimensions;
    const fail = (rule: string, hint: string): never => {
      throw new FileTemplateError(
        `File template "${this.text}" cannot be used for dataset type "${datasetType.name}" ${group}: ${rule}`,
        { hint },
      );
    };
    if (
      datasetType.component !== null &&
      !this.fields({ optionals: true, specials: true }).has("component")
    ) {
      fail(
        "it is a component but the template has no {component} field",
        "Add {component:?} to the template.",
      );
    }
    if (datasetType.component === null && this.fields({ specials: true }).has("component")) {
      fail("{component} is mandatory but it is not a component", "Make the field optional: {component:?}.");
    }
    const skypix = group.skypix.length === 1 ? group.skypix[0] : undefined;
    const isDimension = (name: string) =>
      group.hasDimension(name) || (name === "skypix" && skypix !== undefined);
    const strangers = [...this.fields()].filter((name) => !isDimension(name));
    if (strangers.length > 0) {
      fail(
        `mandatory ${plural(strangers, "field")} ${quoted(strangers)} ${strangers.length > 1 ? "are not dimensions" : "is not a dimension"} of the dataset type`,
        `Make ${strangers.length > 1 ? "them" : "it"} optional ({${strangers[0]}:?}) or give this dataset type its own template.`,
      );
    }
    const used = this.fields({ optionals: true });
    const absent = group.required.filter(
      (name) => !used.has(name) && !(name === skypix && used.has("skypix")),
    );
    if (absent.length > 0) {
      fail(
        `required ${plural(absent, "dimension")} ${quoted(absent)} ${absent.length > 1 ? "are" : "is"} not in the template, so its paths would not be unique`,
        `Add {${absent[0]}} (or a record field of it, such as {${absent[0]}.id}) to the template.`,
      );
    }
    for (const ref of this.#parts.flatMap((p) => p.field?.alternates ?? [])) {
      const element = ref.element === "skypix" ? skypix : ref.element;
      if (ref.attribute === null || element === undefined || !group.hasDimension(element)) continue;
      const fields = group.universe.element(element).recordFields;
      if (!fields.includes(ref.attribute)) {
        fail(
          `a ${element} record has no field "${ref.attribute}" (in "${ref.name}")`,
          didYouMean(ref.attribute, fields) ?? `Fields of ${element}: ${fields.join(", ")}.`,
        );
      }
    }
  }

  /** Whether both have the same text. */
  equals(other: FileTemplate): boolean {
    return this.text === other.text;
  }

  toString(): string {
    return this.text;
  }

  #resolve(
    field: TemplateField,
    ref: FieldRef,
    input: TemplateInput,
    skypix: string | undefined,
  ): Resolved | undefined {
    if (ref.kind === "special") {
      const value =
        ref.name === "component" ? input.component : input[ref.name as "run" | "id" | "datasetType"];
      return value === null ? undefined : { value, isFloat: false };
    }
    const { dataId } = input;
    const name = ref.element === "skypix" && skypix !== undefined ? skypix : ref.element;
    const known = dataId.dimensions.hasDimension(name) ? dataId.get(name) : undefined;
    if (ref.kind === "dimension" || known === undefined) {
      return known === undefined ? undefined : { value: known, isFloat: false };
    }
    if (!dataId.hasRecords()) {
      throw new FileTemplateError(
        `File template "${this.text}" uses record field "${ref.name}" but data ID ${dataId} of dataset type "${input.datasetType}" has no records attached`,
        { hint: "Expand the data ID first (expandDataId), or change the template." },
      );
    }
    const record = dataId.record(name);
    const attribute = ref.attribute as string;
    if (record === null || !record.fields.includes(attribute)) {
      if (record !== null && !field.optional) {
        throw new FileTemplateError(
          `File template "${this.text}" uses "${ref.name}" but a ${name} record has no field "${attribute}"`,
          { hint: didYouMean(attribute, record.fields) ?? `Fields of ${name}: ${record.fields.join(", ")}.` },
        );
      }
      return undefined;
    }
    const value: RecordValue = record.get(attribute);
    if (value === null) return undefined;
    if (typeof value === "object") {
      throw new FileTemplateError(
        `File template "${this.text}" uses "${ref.name}", a ${attribute} value, which cannot be part of a path`,
        { hint: "Use a field that holds a number or a string." },
      );
    }
    const spec = recordFieldSpecs(record.element).get(attribute);
    return { value, isFloat: typeof spec === "object" && spec.type === "float" };
  }

  #render(field: TemplateField, ref: FieldRef, resolved: Resolved, input: TemplateInput): string {
    let value = resolved.value;
    if (typeof value === "string") {
      const bad = forbiddenCharacter(value);
      if (bad !== null) {
        throw new FileTemplateError(
          `File template "${this.text}" cannot use the value of "${ref.name}" for dataset type "${input.datasetType}" in run "${input.run}": ${JSON.stringify(value)} contains ${bad}, which may not appear in a path`,
          {
            hint: "Values used in paths must not hold control characters, line separators, bidirectional overrides or unpaired surrogates.",
          },
        );
      }
      value = sanitizeValue(value, field.keepSlash);
    }
    try {
      return field.spec.render(value, resolved.isFloat);
    } catch (error) {
      if (!(error instanceof SpecMismatch)) throw error;
      throw new FileTemplateError(
        `File template "${this.text}" cannot format ${JSON.stringify(value)} (from "${ref.name}") with "${field.source}": ${error.message}`,
        { hint: "Change the format spec, or use a field of the matching type.", cause: error },
      );
    }
  }

  #missing(field: TemplateField, input: TemplateInput): FileTemplateError {
    const names = field.alternates.map((a) => a.name);
    const what = names.length > 1 ? `one of ${quoted(names)}` : `"${names[0]}"`;
    return new FileTemplateError(
      `File template "${this.text}" needs a value for ${what} (in "${field.source}"), but dataset type "${input.datasetType}" with data ID ${input.dataId} in run "${input.run}" has none`,
      {
        hint: `Make the field optional ("${field.source.replace(/}$/, field.source.includes(":") ? "?}" : ":?}")}") or use a template that fits this dataset type.`,
      },
    );
  }
}

/** daf_butler's rule: the first alternate whose dimension (or special value) the dataset has, else the first. */
function chooseAlternate(
  alternates: readonly FieldRef[],
  input: TemplateInput,
  skypix: string | undefined,
): FieldRef {
  if (alternates.length === 1) return alternates[0] as FieldRef;
  const { dataId } = input;
  for (const ref of alternates) {
    if (ref.kind === "special") {
      if (ref.name !== "component" || input.component !== null) return ref;
      continue;
    }
    const name = ref.element === "skypix" && skypix !== undefined ? skypix : ref.element;
    if (dataId.dimensions.hasDimension(name) && dataId.get(name) !== undefined) return ref;
  }
  return alternates[0] as FieldRef;
}

/** The rules daf_butler checks when a template is made. */
function checkRules(text: string, parts: readonly TemplatePart[]): void {
  const refs = parts.flatMap((p) => p.field?.alternates ?? []);
  if (refs.some((ref) => ref.element === "collection")) {
    throw invalidTemplate(text, '"collection" is no longer supported as a field', 'Use "run" instead.');
  }
  if (!refs.some((ref) => ref.name === "run" || ref.name === "id")) {
    throw invalidTemplate(
      text,
      "it has neither {run} nor {id}, so paths would not be unique",
      "Add {run} to the template (or {id} in the file name).",
    );
  }
  const usesId = refs.some((ref) => ref.name === "id");
  if (!usesId && refs.every((ref) => ref.kind === "special")) {
    throw invalidTemplate(
      text,
      "no field refers to a dimension",
      "Add dimension fields such as {visit} or {detector}, or {id} in the file name.",
    );
  }
  if (PARENT_SEGMENT.test(text)) {
    throw invalidTemplate(text, 'it has a ".." segment', "Templates must stay inside the datastore root.");
  }
  const bad = parts.find((p) => p.literal.includes("\\") || forbiddenCharacter(p.literal) !== null);
  if (bad !== undefined) {
    throw invalidTemplate(
      text,
      `literal text ${JSON.stringify(bad.literal)} holds a backslash or a control character`,
      'Separate directories with "/".',
    );
  }
  if (usesId) {
    let lastSlash = -1;
    parts.forEach((p, i) => {
      if (p.literal.includes("/")) lastSlash = i;
    });
    // A field comes after the literal text of its part, so parts from the one with the last "/" on are the name.
    const inName = parts
      .slice(Math.max(0, lastSlash))
      .some((p) => p.field?.alternates.some((a) => a.name === "id"));
    if (!inName) {
      throw invalidTemplate(
        text,
        "{id} is used but is not part of the file name",
        'Put {id} after the last "/" so that each dataset gets its own file.',
      );
    }
  }
}

function quoted(names: readonly string[]): string {
  return names.map((n) => `"${n}"`).join(", ");
}

function plural(items: readonly unknown[], word: string): string {
  return items.length > 1 ? `${word}s` : word;
}
