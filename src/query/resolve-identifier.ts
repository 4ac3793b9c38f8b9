import type { DatasetType } from "../datasets/dataset-type.ts";
import { recordFieldSpecs } from "../dimensions/dimension-record.ts";
import { Dimension, type DimensionElement } from "../dimensions/elements.ts";
import type { DimensionGroup } from "../dimensions/group.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import { closeMatches } from "../util/suggest.ts";
import {
  type ColumnType,
  DATASET_FIELDS,
  type DatasetField,
  type ValueExpression,
} from "./tree/expressions.ts";

/** What an identifier resolves against: the universe, the query's dimensions and its dataset searches. */
export interface IdentifierScope {
  readonly universe: DimensionUniverse;
  /** The dimensions the query has before the expression adds its own. */
  readonly dimensions: DimensionGroup;
  /** Dataset types joined into the query, by name. */
  readonly datasetTypes: ReadonlyMap<string, DatasetType>;
}

/** Why an identifier did not resolve: a message and close names for the hint. */
export class IdentifierProblem {
  readonly message: string;
  readonly suggestions: readonly string[];

  constructor(message: string, suggestions: readonly string[] = []) {
    this.message = message;
    this.suggestions = suggestions;
  }
}

/** A resolved identifier: the value it reads and the dimensions the query needs for it. */
export interface ResolvedIdentifier {
  readonly value: ValueExpression;
  readonly dimensions: readonly string[];
}

/** The column type of a record field of an element (`region`, `timespan`, or its key/metadata type). */
export function fieldType(element: DimensionElement, field: string): ColumnType | undefined {
  const spec = recordFieldSpecs(element).get(field);
  if (spec === undefined) return undefined;
  return typeof spec === "string" ? spec : spec.type;
}

const DATASET_FIELD_TYPES: Readonly<Record<DatasetField, ColumnType>> = {
  dataset_id: "uuid",
  ingest_date: "ingest_date",
  run: "string",
  collection: "string",
  timespan: "timespan",
};

function keyOf(dimension: Dimension): ResolvedIdentifier {
  return {
    value: Object.freeze({
      kind: "column",
      column: Object.freeze({ kind: "key", dimension: dimension.name }),
      type: dimension.primaryKey.type,
    }),
    dimensions: [dimension.name],
  };
}

function fieldOf(element: DimensionElement, field: string, type: ColumnType): ResolvedIdentifier {
  return {
    value: Object.freeze({
      kind: "column",
      column: Object.freeze({ kind: "field", element: element.name, field }),
      type,
    }),
    dimensions: element.required.map((d) => d.name),
  };
}

function datasetFieldOf(datasetType: DatasetType, field: DatasetField): ResolvedIdentifier {
  return {
    value: Object.freeze({
      kind: "column",
      column: Object.freeze({ kind: "dataset", datasetType: datasetType.name, field }),
      type: DATASET_FIELD_TYPES[field],
    }),
    dimensions: [],
  };
}

function bound(of: ResolvedIdentifier, which: string): ResolvedIdentifier | IdentifierProblem {
  if (which !== "begin" && which !== "end")
    return new IdentifierProblem(`Unrecognized field "${which}" of a timespan (use begin or end)`);
  if (of.value.type !== "timespan") return new IdentifierProblem("Only a timespan has a begin and an end");
  return {
    value: Object.freeze({ kind: "bound", bound: which, operand: of.value, type: "datetime" }),
    dimensions: of.dimensions,
  };
}

/** `element.field` or `element.dimension`, with the element's dimensions pulled into the query. */
function elementMember(element: DimensionElement, name: string): ResolvedIdentifier | IdentifierProblem {
  if (element instanceof Dimension && (name === element.primaryKey.name || name === element.name))
    return keyOf(element);
  const dependency = element.dimensions.find((d) => d.name === name && d !== element);
  if (dependency !== undefined) return keyOf(dependency);
  const type = fieldType(element, name);
  if (type === undefined || element.keyField(name) !== undefined) {
    const fields = element.recordFields;
    return new IdentifierProblem(
      `Unrecognized field "${name}" for ${element.name}`,
      closeMatches(name, fields),
    );
  }
  return fieldOf(element, name, type);
}

/**
 * Resolve an identifier of one to three parts, following daf_butler's rules (spec §3.4): a dimension
 * name is its key; an unqualified field must match exactly one field of the query's elements or
 * dataset types; `element.field`, `datasetType.field` and `x.timespan.begin|end` are qualified forms.
 */
export function resolveIdentifier(
  parts: readonly string[],
  scope: IdentifierScope,
): ResolvedIdentifier | IdentifierProblem {
  const { universe } = scope;
  const [first, second, third] = parts as [string, string | undefined, string | undefined];
  if (parts.length === 1) {
    if (universe.has(first)) {
      const element = universe.element(first);
      if (element instanceof Dimension) return keyOf(element);
    }
    return resolveUnqualified(first, scope);
  }
  if (parts.length === 2 && first === "timespan") {
    const unqualified = resolveUnqualified("timespan", scope);
    return unqualified instanceof IdentifierProblem ? unqualified : bound(unqualified, second as string);
  }
  const head = resolveQualified(first, second as string, scope);
  if (parts.length === 2 || head instanceof IdentifierProblem) return head;
  return second === "timespan"
    ? bound(head, third as string)
    : new IdentifierProblem(`Unrecognized identifier "${parts.join(".")}"`);
}

function resolveQualified(
  first: string,
  second: string,
  scope: IdentifierScope,
): ResolvedIdentifier | IdentifierProblem {
  const { universe } = scope;
  if (universe.has(first)) return elementMember(universe.element(first), second);
  const datasetType = scope.datasetTypes.get(first);
  if (datasetType !== undefined) {
    if ((DATASET_FIELDS as readonly string[]).includes(second))
      return datasetFieldOf(datasetType, second as DatasetField);
    return new IdentifierProblem(
      `Unrecognized field "${second}" for dataset type ${first}`,
      closeMatches(second, DATASET_FIELDS),
    );
  }
  if ((DATASET_FIELDS as readonly string[]).includes(second)) {
    return new IdentifierProblem(
      `Dataset type "${first}" is not part of this query`,
      closeMatches(first, scope.datasetTypes.keys()),
    );
  }
  const candidates = [...universe.elements.map((e) => e.name), ...scope.datasetTypes.keys()];
  return new IdentifierProblem(
    `Unrecognized identifier "${first}.${second}"`,
    closeMatches(first, candidates),
  );
}

function resolveUnqualified(name: string, scope: IdentifierScope): ResolvedIdentifier | IdentifierProblem {
  const matches: { label: string; resolved: ResolvedIdentifier }[] = [];
  for (const elementName of scope.dimensions.elements) {
    const element = scope.universe.element(elementName);
    if (element instanceof Dimension && name === element.primaryKey.name) {
      matches.push({ label: `${element.name}.${name}`, resolved: keyOf(element) });
      continue;
    }
    const type = fieldType(element, name);
    if (type !== undefined && element.keyField(name) === undefined) {
      matches.push({ label: `${element.name}.${name}`, resolved: fieldOf(element, name, type) });
    }
  }
  if ((DATASET_FIELDS as readonly string[]).includes(name)) {
    for (const datasetType of scope.datasetTypes.values()) {
      matches.push({
        label: `${datasetType.name}.${name}`,
        resolved: datasetFieldOf(datasetType, name as DatasetField),
      });
    }
  }
  if (matches.length === 1) return (matches[0] as (typeof matches)[0]).resolved;
  if (matches.length > 1) {
    return new IdentifierProblem(
      `Ambiguous identifier "${name}" matches multiple fields: ${matches.map((m) => `"${m.label}"`).join(", ")}`,
      matches.map((m) => m.label),
    );
  }
  const known = new Set<string>(scope.universe.dimensions.map((d) => d.name));
  for (const elementName of scope.dimensions.elements)
    for (const field of scope.universe.element(elementName).recordFields) known.add(field);
  return new IdentifierProblem(`Unrecognized identifier "${name}"`, closeMatches(name, known));
}
