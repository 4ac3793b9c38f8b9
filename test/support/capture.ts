import type { CliStreams } from "../../src/cli/context.ts";

/** Streams that collect what a CLI run writes. */
export function captureStreams(isTTY = false): CliStreams & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text), isTTY },
    out: () => out,
    err: () => err,
  };
}
