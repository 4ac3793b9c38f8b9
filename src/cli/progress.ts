import type { CliContext } from "./context.ts";

/** Something that reports progress of a long operation: `update(done, total)`, then `finish()`. */
export interface Progress {
  update(done: number, total: number): void;
  finish(): void;
}

const QUIET: Progress = { update: () => {}, finish: () => {} };

/**
 * A one-line progress bar on standard error when it is a terminal (and neither `--quiet` nor
 * `--no-progress`); nothing otherwise. Redraws at most every 100 ms.
 */
export function progressBar(context: CliContext, label: string): Progress {
  if (!context.progress) return QUIET;
  let last = 0;
  let drawn = false;
  return {
    update(done: number, total: number) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      context.stderr.write(
        `\r${label} [${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}`,
      );
      drawn = true;
    },
    finish() {
      if (drawn) context.stderr.write("\n");
    },
  };
}
