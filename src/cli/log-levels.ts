import { CommandLineError } from "../errors.ts";

/** daf_butler's log levels, most to least severe. */
export const LOG_LEVELS = ["CRITICAL", "ERROR", "WARNING", "INFO", "VERBOSE", "DEBUG", "TRACE"] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Level per logger component; the key `""` is the default for butler-ts itself. */
export type LogLevels = ReadonlyMap<string, LogLevel>;

/**
 * Parse `--log-level` values: `LEVEL` (butler-ts's own loggers) or `COMPONENT=LEVEL`, case-insensitive,
 * later values winning, as daf_butler's CLI accepts them.
 * @throws {CommandLineError} for an unknown level.
 */
export function parseLogLevels(values: readonly string[]): LogLevels {
  const levels = new Map<string, LogLevel>([["", "INFO"]]);
  for (const value of values) {
    const eq = value.lastIndexOf("=");
    const component = eq < 0 ? "" : value.slice(0, eq).trim();
    const name = (eq < 0 ? value : value.slice(eq + 1)).trim().toUpperCase();
    if (!(LOG_LEVELS as readonly string[]).includes(name)) {
      throw new CommandLineError(`Invalid --log-level "${value}": unknown level "${name}"`, {
        hint: `Use LEVEL or COMPONENT=LEVEL with LEVEL one of ${LOG_LEVELS.join(", ")}.`,
      });
    }
    levels.set(component === "." ? "" : component, name as LogLevel);
  }
  return levels;
}
