/**
 * Every error butler-ts throws on purpose. Each class carries a stable `code` (daf_butler's exception
 * name where one exists, so errors keep their identity over the wire), a message that says what failed
 * and quotes the values, and an optional `hint` that says what to do.
 */

/** Options shared by every butler error. */
export interface ButlerErrorOptions {
  /** What the user can do about it, printed on its own `hint:` line by the CLI. */
  readonly hint?: string | undefined;
  /** The lower-level error this one wraps. */
  readonly cause?: unknown;
}

/** Base of every error butler-ts throws on purpose. */
export class ButlerError extends Error {
  /** Stable identifier of the error kind; equal to daf_butler's exception name where one exists. */
  readonly code: string = "ButlerError";
  /** What to do about it, when there is something to say. */
  readonly hint: string | undefined;

  constructor(message: string, options: ButlerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
  }
}

/** An error caused by what the user asked for or supplied; safe to show to a remote client. */
export class ButlerUserError extends ButlerError {
  override readonly code: string = "ButlerUserError";
}

/** A configuration file or object is malformed; `path` names the bad key (`elements.visit.requires[1]`). */
export class ConfigError extends ButlerUserError {
  override readonly code: string = "ConfigError";
  /** Dotted path of the offending key inside the configuration, when known. */
  readonly path: string | undefined;

  constructor(message: string, options: ButlerErrorOptions & { readonly path?: string } = {}) {
    super(options.path === undefined ? message : `${options.path}: ${message}`, options);
    this.path = options.path;
  }
}

/** A data ID is invalid: base class of the more specific data ID errors. */
export class DataIdError extends ButlerUserError {
  override readonly code: string = "DataIdError";
}

/** A data ID names a dimension that does not exist, or lacks one it needs. */
export class DimensionNameError extends DataIdError {
  override readonly code: string = "DimensionNameError";
}

/** A data ID value has the wrong type or does not identify exactly one record. */
export class DimensionValueError extends DataIdError {
  override readonly code: string = "DimensionValueError";
}

/** Values in a data ID contradict each other or the dimension records that relate them. */
export class InconsistentDataIdError extends DataIdError {
  override readonly code: string = "InconsistentDataIdError";
}

/** A data ID value has no dimension record in the repository. */
export class DataIdValueError extends DataIdError {
  override readonly code: string = "DataIdValueError";
}

/** A time or timespan could not be parsed, or lies outside the range a repository can store. */
export class InvalidTimeError extends ButlerUserError {
  override readonly code: string = "InvalidTimeError";
}

/** A command line could not be understood (unknown verb or option, missing argument, bad value). */
export class CommandLineError extends ButlerUserError {
  override readonly code: string = "CommandLineError";
}

/** A dataset type name or definition is invalid, or a dataset type cannot be used that way. */
export class DatasetTypeError extends ButlerUserError {
  override readonly code: string = "DatasetTypeError";
}

/** The registry database failed or refused a statement; `kind` tells which constraint, if any. */
export class DatabaseError extends ButlerError {
  override readonly code: string = "DatabaseError";
  /** What went wrong, when the database says: a violated constraint, a lock held too long, or other. */
  readonly kind: "unique" | "foreign-key" | "check" | "not-null" | "busy" | "readonly" | "other";

  constructor(message: string, kind: DatabaseError["kind"], options: ButlerErrorOptions = {}) {
    super(message, options);
    this.kind = kind;
  }
}

/** A repository's registry schema (managers or versions) is one butler-ts cannot open safely. */
export class IncompatibleRepositoryError extends ButlerUserError {
  override readonly code: string = "IncompatibleRepositoryError";
}

/** Something being defined or inserted clashes with what the repository already holds. */
export class ConflictingDefinitionError extends ButlerUserError {
  override readonly code: string = "ConflictingDefinitionError";
}

/** A collection named by the user does not exist. */
export class MissingCollectionError extends ButlerUserError {
  override readonly code: string = "MissingCollectionError";
}

/** A collection has the wrong type for the operation (associating into a RUN, chaining a non-CHAINED). */
export class CollectionTypeError extends ButlerUserError {
  override readonly code: string = "CollectionTypeError";
}

/** A chain definition would make a collection contain itself. */
export class CollectionCycleError extends ButlerUserError {
  override readonly code: string = "CollectionCycleError";
}

/** A dataset type named by the user is not registered. */
export class MissingDatasetTypeError extends ButlerUserError {
  override readonly code: string = "MissingDatasetTypeError";
}

/** Removing something would orphan what still refers to it (datasets of a type, a collection in a chain). */
export class OrphanedRecordError extends ButlerUserError {
  override readonly code: string = "OrphanedRecordError";
}

/** A calibration lookup found more than one dataset whose validity overlaps the time asked for. */
export class CalibrationLookupError extends ButlerUserError {
  override readonly code: string = "CalibrationLookupError";
}

/** A new collection's name is not allowed. */
export class InvalidCollectionNameError extends ButlerUserError {
  override readonly code: string = "InvalidCollectionNameError";
}

/** A dataset was asked for (by ID, or by type, data ID and collections) and is not in the repository. */
export class DatasetNotFoundError extends ButlerUserError {
  override readonly code: string = "DatasetNotFoundError";
}

/** A repository export file is malformed, or uses a format version this butler cannot read. */
export class ExportFormatError extends ButlerUserError {
  override readonly code: string = "ExportFormatError";
}

/** A feature needs a part of butler-ts (or an optional package) that is not available. */
export class MissingDependencyError extends ButlerUserError {
  override readonly code: string = "MissingDependencyError";
}

/**
 * A query or its `where` expression is invalid. When the expression text is known the message shows the
 * offending line of it with `^` marks under the bad part (`span`, offsets into `expression`).
 */
export class InvalidQueryError extends ButlerUserError {
  override readonly code: string = "InvalidQueryError";
  /** The message without the expression and caret lines. */
  readonly reason: string;
  /** The expression text the error points into, when there is one. */
  readonly expression: string | undefined;
  /** Offsets `[start, end)` of the offending part of `expression`. */
  readonly span: { readonly start: number; readonly end: number } | undefined;

  constructor(
    reason: string,
    options: ButlerErrorOptions & {
      readonly expression?: string | undefined;
      readonly span?: { readonly start: number; readonly end: number } | undefined;
    } = {},
  ) {
    super(
      options.expression === undefined ? reason : `${reason}\n${pointAt(options.expression, options.span)}`,
      options,
    );
    this.reason = reason;
    this.expression = options.expression;
    this.span = options.span;
  }
}

/**
 * The line of `text` holding `span.start` and a line of `^` under the span (to the end of that line). A line
 * of a multi-line text is prefixed by its number; tabs are copied into the caret line to keep alignment.
 */
function pointAt(text: string, span: { readonly start: number; readonly end: number } | undefined): string {
  if (span === undefined) return text;
  const start = Math.max(0, Math.min(span.start, text.length));
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const newline = text.indexOf("\n", start);
  const lineEnd = newline === -1 ? text.length : newline;
  const line = text.slice(lineStart, lineEnd).replace(/\r$/, "");
  const label = lineStart === 0 && newline === -1 ? "" : `line ${countLines(text, lineStart)}: `;
  let indent = " ".repeat(label.length);
  for (const char of text.slice(lineStart, start)) indent += char === "\t" ? "\t" : " ";
  const width = Math.max(1, Math.min(span.end, lineEnd) - start);
  return `${label}${line}\n${indent}${"^".repeat(width)}`;
}

function countLines(text: string, end: number): number {
  let lines = 1;
  for (let i = text.indexOf("\n"); i !== -1 && i < end; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

/** A valid query asks for something this version cannot answer yet (daf_butler's name for it). */
export class UnimplementedQueryError extends ButlerUserError {
  override readonly code: string = "UnimplementedQueryError";
}

/** A query that was asked to explain itself returned nothing; `reasons` says why (daf_butler's name). */
export class EmptyQueryResultError extends ButlerUserError {
  override readonly code: string = "EmptyQueryResultError";
  /** What ruled every row out, one reason per entry (may be empty when nothing in particular did). */
  readonly reasons: readonly string[];

  constructor(reasons: readonly string[], options: ButlerErrorOptions = {}) {
    super(
      reasons.length > 0 ? `The query returned nothing: ${reasons.join(" ")}` : "The query returned nothing",
      options,
    );
    this.reasons = Object.freeze([...reasons]);
  }
}

/**
 * A sky position, angle or region is invalid (latitude outside ±90°, NaN, a zero vector, a non-convex
 * polygon, a negative radius) or region bytes are not a sphgeom encoding.
 */
export class RegionError extends ButlerUserError {
  override readonly code: string = "RegionError";
}

/** Storage could not be read or written (a file system or object store failed). */
export class StorageError extends ButlerError {
  override readonly code: string = "StorageError";
  /** The URI of the artifact concerned. */
  readonly uri: string;

  constructor(message: string, uri: string, options: ButlerErrorOptions = {}) {
    super(message, options);
    this.uri = uri;
  }
}

/** An artifact the repository expects is not in storage (daf_butler raises FileNotFoundError). */
export class StorageNotFoundError extends StorageError {
  override readonly code: string = "StorageNotFoundError";
}

/** Bytes are not valid in a formatter's format, or an object cannot be written in it. */
export class FormatterError extends ButlerUserError {
  override readonly code: string = "FormatterError";
  /** The file (URI or path) being read or written, when known. */
  readonly file: string | undefined;
  /** Byte offset in the file where the problem was found, when known. */
  readonly offset: number | undefined;

  constructor(
    message: string,
    options: ButlerErrorOptions & { readonly file?: string; readonly offset?: number } = {},
  ) {
    const where =
      options.file === undefined
        ? ""
        : ` (${options.file}${options.offset === undefined ? "" : ` at byte ${options.offset}`})`;
    super(`${message}${where}`, options);
    this.file = options.file;
    this.offset = options.offset;
  }
}

/** A table column asked for (a `columns` read parameter, a selection) is not in the table or file. */
export class UnknownColumnError extends FormatterError {
  override readonly code: string = "UnknownColumnError";
  /** The column name or pattern that matched nothing. */
  readonly column: string;
  /** The columns there are, in table order. */
  readonly available: readonly string[];

  constructor(
    column: string,
    available: readonly string[],
    options: ButlerErrorOptions & { readonly file?: string } = {},
  ) {
    super(`No column matches "${column}"`, {
      hint: `Columns: ${available.length === 0 ? "(none)" : available.join(", ")}.`,
      ...options,
    });
    this.column = column;
    this.available = Object.freeze([...available]);
  }
}

/** A file template is malformed, cannot make unique paths for a dataset type, or a value would escape the root. */
export class FileTemplateError extends ButlerUserError {
  override readonly code: string = "FileTemplateError";
}

/** A storage class is unknown, or an object does not fit it, or a component/parameter is not one of its own. */
export class StorageClassError extends ButlerUserError {
  override readonly code: string = "StorageClassError";
}

/** A component name is not a component of the dataset type's storage class. */
export class UnknownComponentError extends StorageClassError {
  override readonly code: string = "UnknownComponentError";
}

/** No datastore accepts a dataset type (constraints or missing formatter). */
export class DatasetTypeNotSupportedError extends ButlerUserError {
  override readonly code: string = "DatasetTypeNotSupportedError";
}

/** A butler was asked to write while opened read-only, or used after `close()`. */
export class ButlerStateError extends ButlerUserError {
  override readonly code: string = "ButlerStateError";
}

/** A read or write needs collections or a RUN and none was given, nor set as the butler's default. */
export class NoDefaultCollectionError extends ButlerUserError {
  override readonly code: string = "NoDefaultCollectionError";
}

/** Arguments that contradict each other or are out of range (daf_butler's ArgumentError/TypeError cases). */
export class ArgumentError extends ButlerUserError {
  override readonly code: string = "ArgumentError";
}
