import type { LogLevels } from "./log-levels.ts";

/** Where a CLI run writes, whether its standard error is a terminal, and where answers to prompts come from. */
export interface CliStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  /** Read for confirmation prompts (default: the process's standard input). */
  readonly stdin?: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

/** Global options every verb receives. */
export interface CliContext extends CliStreams {
  /** Print nothing but results and errors. */
  readonly quiet: boolean;
  /** Draw progress bars: on a terminal, unless `--no-progress` or `--quiet`. */
  readonly progress: boolean;
  /** Show stack traces of errors. */
  readonly debug: boolean;
  readonly logLevels: LogLevels;
}
