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
