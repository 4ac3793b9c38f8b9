import { type ButlerErrorOptions, InvalidQueryError } from "../../errors.ts";
import type { Span } from "./ast.ts";

/**
 * The error for an expression that cannot be parsed: `Failed to parse expression "<text>": <reason>`, then
 * the offending line with carets under `span`. Line breaks in the quoted text are written `\n` so the
 * first line stays one line.
 */
export function parseFailure(
  text: string,
  reason: string,
  span: Span,
  options: ButlerErrorOptions = {},
): InvalidQueryError {
  const quoted = text.replace(/\r?\n/g, "\\n");
  return new InvalidQueryError(`Failed to parse expression "${quoted}": ${reason}`, {
    ...options,
    expression: text,
    span,
  });
}

/** The error for an integer beyond ±(2^53 − 1), which a JavaScript number cannot hold exactly. */
export function integerOutOfRange(text: string, digits: string, span: Span): InvalidQueryError {
  return parseFailure(
    text,
    `Integer ${digits} is out of range: integers must lie within ±9007199254740991`,
    span,
  );
}
