import { createInterface } from "node:readline";
import { type Command, Option } from "commander";
import type { Butler } from "../butler/butler.ts";
import type { OpenButlerOptions } from "../butler/open-butler.ts";
import { TRANSFER_MODES } from "../datastore/datastore.ts";
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
 * Ask the user to confirm a destructive change on standard error, unless `--no-confirm`. Refuses (never
 * waits) when the input is not a terminal.
 * @throws {CommandLineError} when confirmation is needed but cannot be asked.
 */
export async function confirm(
  context: CliContext,
  confirmOption: boolean | undefined,
  question: string,
): Promise<boolean> {
  if (confirmOption === false) return true;
  const input = context.stdin ?? process.stdin;
  if (!input.isTTY) {
    throw new CommandLineError(
      "Refusing to change the repository without confirmation: standard input is not a terminal",
      {
        hint: "Pass --no-confirm to proceed without being asked.",
      },
    );
  }
  context.stderr.write(`${question} [y/N]: `);
  const lines = createInterface({ input, terminal: false });
  try {
    for await (const answer of lines) return /^y(es)?$/i.test(answer.trim());
    return false;
  } finally {
    lines.close();
  }
}

/**
 * Open a repository as a butler, run `work` with it, and close it whatever happens.
 * @throws {ConfigError} when there is no repository at `repo`.
 */
export async function withButler<T>(
  repo: string,
  options: OpenButlerOptions,
  work: (butler: Butler) => Promise<T>,
): Promise<T> {
  // Loaded on use, like the registry: light verbs start without the datastore code.
  const { openButler } = await import("../butler/open-butler.ts");
  const butler = await openButler(repo, options);
  try {
    return await work(butler);
  } finally {
    await butler.close();
  }
}

/** `-t/--transfer MODE` with daf_butler's choices and default (`auto`). */
export function transferOption(help = "How to bring the files over."): Option {
  return new Option("-t, --transfer <mode>", help).choices(TRANSFER_MODES).default("auto");
}
