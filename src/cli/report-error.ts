import { ButlerError } from "../errors.ts";

/**
 * The text the CLI prints for an error: `error:` and `hint:` lines, and with `debug` the stack and
 * every `cause`. An error butler-ts did not throw on purpose is labelled internal.
 */
export function formatCliError(error: unknown, debug: boolean): string {
  const lines: string[] = [];
  if (error instanceof ButlerError) {
    lines.push(`error: ${error.message}`);
    if (error.hint) lines.push(`hint: ${error.hint}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`error: internal error: ${message}`);
    if (!debug) lines.push("hint: Run again with --debug to see the stack trace, and please report it.");
  }
  if (debug) {
    let current: unknown = error;
    let prefix = "";
    while (current !== undefined) {
      lines.push(prefix + (current instanceof Error ? (current.stack ?? current.message) : String(current)));
      current = current instanceof Error ? current.cause : undefined;
      prefix = "caused by: ";
    }
  }
  return `${lines.join("\n")}\n`;
}
