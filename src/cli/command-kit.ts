import { createInterface } from "node:readline/promises";
import { type Command, Option } from "commander";
import { CommandLineError } from "../errors.ts";
import type { Registry } from "../registry/registry.ts";
import type { CliContext } from "./context.ts";
import { formatTable, type OutputFormat, parseOutputFormat, type ResultTable } from "./output-table.ts";

/** Adds one verb to the program; `context` gives the global options once parsed. */
export type RegisterCommand = (program: Command, context: () => CliContext) => void;

/** Collect a repeatable option whose values may also be comma-separated (daf_butler's multi-value options). */
export function collectList(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(",")
      .map((v) => v.trim())
      .filter((v) => v !== ""),
  ];
}

/** The `--format table|json|csv` option every query verb takes. */
export function formatOption(): Option {
  return new Option("--format <format>", "Output format: table, json or csv.")
    .default("table")
    .argParser(parseOutputFormat);
}

/** Print a result table in the chosen format. */
export function printTable(context: CliContext, table: ResultTable, format: OutputFormat): void {
  context.stdout.write(formatTable(table, format));
}

/** Print a line of information unless `--quiet`. */
export function inform(context: CliContext, message: string): void {
  if (!context.quiet) context.stdout.write(`${message}\n`);
}

/** Open a repository's registry, run `work` with it, and close it whatever happens. */
export async function withRegistry<T>(
  repo: string,
  writeable: boolean,
  work: (registry: Registry) => Promise<T>,
): Promise<T> {
  // Loaded on use, so that `--help`, `--version` and light verbs start without the registry code.
  const { openRegistry } = await import("../repository/open-registry.ts");
  const registry = await openRegistry(repo, { writeable });
  try {
    return await work(registry);
  } finally {
    await registry.close();
  }
}

/** `--confirm/--no-confirm` as daf_butler spells them (confirmation on by default). */
export function addConfirmOptions(command: Command): Command {
  return command
    .option("--confirm", "Ask before changing anything (default).")
    .option("--no-confirm", "Do not ask; needed when standard input is not a terminal.");
}

/**
 * Ask the user to confirm a destructive change, unless `--no-confirm`. Refuses (never waits) when
 * standard input is not a terminal.
 * @throws {CommandLineError} when confirmation is needed but cannot be asked.
 */
export async function confirm(confirmOption: boolean | undefined, question: string): Promise<boolean> {
  if (confirmOption === false) return true;
  if (!process.stdin.isTTY) {
    throw new CommandLineError(
      "Refusing to change the repository without confirmation: standard input is not a terminal",
      {
        hint: "Pass --no-confirm to proceed without being asked.",
      },
    );
  }
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await prompt.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    prompt.close();
  }
}
