import { Option } from "commander";
import { CommandLineError } from "../errors.ts";
import { collectList, formatOption } from "./command-kit.ts";
import type { CliContext } from "./context.ts";

/** daf_butler's default `--limit`: at most 20,000 rows, with a warning when there are more. */
export const DEFAULT_LIMIT = -20_000;

/** The options shared by the query verbs, as commander parses them. */
export interface QueryOptions {
  readonly where?: string;
  readonly bind?: readonly string[];
  readonly orderBy?: readonly string[];
  readonly limit: number;
  readonly offset?: number;
}

function integer(name: string): (value: string) => number {
  return (value) => {
    if (!/^[+-]?\d+$/.test(value.trim())) {
      throw new CommandLineError(`Invalid ${name} "${value}": not an integer`, {
        hint: `Pass a whole number, e.g. ${name} 10.`,
      });
    }
    return Number(value);
  };
}

/**
 * `--format table|json|csv` of the query verbs, saying how JSON and CSV spell what a table abbreviates.
 */
export function queryFormatOption(): Option {
  const option = formatOption();
  option.description =
    "Output format: table (daf_butler's), json (an array of objects keyed by the table's column names; " +
    "numbers as numbers, None as null, timespans as [begin, end] ISO TAI times with null for an unbounded end, " +
    "regions as hex) or csv (timespans as ISO intervals begin/end, .. for an unbounded end).";
  return option;
}

/** `--where EXPRESSION`. */
export function whereOption(): Option {
  return new Option(
    "--where <expression>",
    "A daf_butler query expression, like an SQL WHERE clause (\"instrument = 'HSC' AND visit > 100\").",
  );
}

/** `--bind KEY=VALUE`, repeatable: the values of the `where` expression's `:KEY` parameters. */
export function bindOption(): Option {
  return new Option(
    "--bind <KEY=VALUE>",
    "Value of a :KEY parameter of --where (repeatable); numbers are numbers, anything else a string.",
  ).argParser((value: string, previous: string[] = []) => [...previous, value]);
}

/** `--order-by`, repeatable and comma-separated; `-` in front sorts descending. */
export function orderByOption(): Option {
  return new Option(
    "--order-by <terms>",
    "Sort by these dimensions or fields (repeatable, comma-separated; -name for descending, e.g. -detector).",
  ).argParser(collectList);
}

/** `--limit N` with daf_butler's CLI meaning and default. */
export function limitOption(defaultLimit: number = DEFAULT_LIMIT): Option {
  return new Option(
    "--limit <N>",
    "At most N rows; 0 means no limit; -N means at most N with a warning when there are more.",
  )
    .default(defaultLimit)
    .argParser(integer("--limit"));
}

/** `--offset N`: skip the first N rows. */
export function offsetOption(): Option {
  return new Option("--offset <N>", "Skip the first N rows (after sorting).")
    .default(0)
    .argParser((value: string) => {
      const offset = integer("--offset")(value);
      if (offset < 0) throw new CommandLineError(`Invalid --offset ${offset}: it cannot be negative`);
      return offset;
    });
}

/** `--collections`, repeatable and comma-separated. */
export function collectionsOption(help: string): Option {
  return new Option("--collections <names>", help).argParser(collectList);
}

/** `--datasets`, repeatable and comma-separated dataset type names or globs. */
export function datasetsOption(help: string): Option {
  return new Option("--datasets <types>", help).argParser(collectList);
}

/** A decimal integer or float (`42`, `-1.5`, `2e3`), not `0x10` or `Infinity`. */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parse `--bind KEY=VALUE` pairs: a value that reads as a number is a number, anything else a string.
 * @throws {CommandLineError} for a pair without `=` or with an empty key.
 */
export function parseBind(pairs: readonly string[] = []): Record<string, string | number> {
  const bind: Record<string, string | number> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf("=");
    const key = pair.slice(0, equals).trim();
    if (equals < 0 || key === "") {
      throw new CommandLineError(`Invalid --bind "${pair}": expected KEY=VALUE`, {
        hint: "Write --bind visit=42 to give the value of :visit in --where.",
      });
    }
    const value = pair.slice(equals + 1);
    bind[key] = NUMBER.test(value.trim()) ? Number(value) : value;
  }
  return bind;
}

/** How many rows to fetch for a `--limit` and how many to keep: one extra tells whether a negative limit cut rows off. */
export interface LimitPlan {
  /** Rows to ask the query for (undefined: all). */
  readonly fetch: number | undefined;
  /** Rows to show at most (undefined: all). */
  readonly keep: number | undefined;
  /** Whether to warn when rows were cut off. */
  readonly warn: boolean;
}

/** The plan for daf_butler's CLI `--limit`: 0 all, N at most N, -N at most N with a warning. */
export function limitPlan(limit: number): LimitPlan {
  if (limit === 0) return { fetch: undefined, keep: undefined, warn: false };
  if (limit > 0) return { fetch: limit, keep: limit, warn: false };
  return { fetch: -limit + 1, keep: -limit, warn: true };
}

/** Drop the extra row a negative limit fetched; true when there was one (rows were cut off). */
export function trimToLimit(rows: unknown[], plan: LimitPlan): boolean {
  if (!plan.warn || plan.keep === undefined || rows.length <= plan.keep) return false;
  rows.length = plan.keep;
  return true;
}

/** Print a warning on standard error. */
export function warn(context: CliContext, message: string): void {
  context.stderr.write(`warning: ${message}\n`);
}

/** The warning for rows cut off by a negative `--limit`, saying how to see them. */
export function warnLimit(context: CliContext, noun: string, keep: number): void {
  warn(
    context,
    `More ${noun} are available than the requested limit of ${keep}; use --limit 0 to see all, or --limit ${keep} to cap them without this warning.`,
  );
}

/**
 * Say on standard error why a query found nothing (unless `--quiet`), then daf_butler's
 * "No results" line.
 */
export function reportNoResults(
  context: CliContext,
  reasons: readonly string[],
  closing = "No results. Try --help for more information.",
): void {
  if (context.quiet) return;
  for (const reason of reasons) context.stderr.write(`${reason}\n`);
  context.stderr.write(`${closing}\n`);
}
