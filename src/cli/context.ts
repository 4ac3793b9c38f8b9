import type { LogLevels } from "./log-levels.ts";

/** Where a CLI run writes, and whether its standard error is a terminal. */
export interface CliStreams {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
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
