import { readFileSync } from "node:fs";
import { Command, CommanderError, Option } from "commander";
import { CommandLineError } from "../errors.ts";
import type { CliContext, CliStreams } from "./context.ts";
import { ExitStatus } from "./exit-status.ts";
import { parseLogLevels } from "./log-levels.ts";
import { formatCliError } from "./report-error.ts";
import { VERBS } from "./verbs.ts";

/** The installed package's version, read from its package.json. */
export function packageVersion(): string {
  const text = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
  return (JSON.parse(text) as { version: string }).version;
}

interface GlobalOptions {
  readonly logLevel: string[];
  readonly quiet?: boolean;
  readonly progress?: boolean;
  readonly debug?: boolean;
}

/** The `butler` program: global options; each verb is added from its own file under `commands/`. */
function buildProgram(streams: CliStreams, onContext: (context: CliContext) => void): Command {
  let context: CliContext | undefined;
  const program = new Command("butler")
    .description("Butler command-line tools: find, read and write datasets in a data repository.")
    .helpOption("-h, --help", "Show this message and exit.")
    .addOption(
      new Option(
        "--log-level <LEVEL|COMPONENT=LEVEL>",
        "Logging level, repeatable (CRITICAL|ERROR|WARNING|INFO|VERBOSE|DEBUG|TRACE).",
      )
        .argParser((value: string, previous: string[]) => [...previous, value])
        .default([], "INFO"),
    )
    .option("--quiet", "Print only results and errors.")
    .option("--progress", "Show a progress bar for slow operations when possible (default on a terminal).")
    .option("--no-progress", "Never show progress bars.")
    .option("--debug", "Show the full stack trace of errors.")
    .option("--version", "Show the version and exit.")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.stdout.write(text),
      writeErr: (text) => streams.stderr.write(text),
      outputError: () => {},
    })
    .showSuggestionAfterError(true);
  program.hook("preAction", () => {
    const options = program.opts<GlobalOptions>();
    context = {
      ...streams,
      quiet: options.quiet === true,
      progress: options.progress !== false && options.quiet !== true && streams.stderr.isTTY === true,
      debug: options.debug === true,
      logLevels: parseLogLevels(options.logLevel),
    };
    onContext(context);
  });
  for (const register of VERBS) {
    register(program, () => {
      if (context === undefined) throw new Error("global options were not parsed");
      return context;
    });
  }
  program.action(() => {
    const options = program.opts<GlobalOptions & { version?: boolean }>();
    if (options.version) streams.stdout.write(`butler-ts ${packageVersion()}\n`);
    else program.outputHelp();
  });
  return program;
}

/**
 * Run the `butler` command line with `argv` (without the node and script paths) and return the exit
 * status: 0 on success, 1 on any error, which is printed as `error:`/`hint:` lines (with the stack
 * trace only under `--debug`), or the status a verb asks for with {@link ExitStatus}. Never calls
 * `process.exit`.
 */
export async function main(argv: readonly string[], streams: CliStreams = process): Promise<number> {
  let context: CliContext | undefined;
  const debug = argv.includes("--debug");
  try {
    await buildProgram(streams, (c) => {
      context = c;
    }).parseAsync([...argv], { from: "user" });
    return 0;
  } catch (error) {
    if (error instanceof ExitStatus) return error.status;
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      const message = error.message.replace(/^error: /, "");
      const usage = new CommandLineError(message, { hint: 'Run "butler --help" for usage.' });
      streams.stderr.write(formatCliError(usage, false));
      return 1;
    }
    streams.stderr.write(formatCliError(error, context?.debug ?? debug));
    return 1;
  }
}
