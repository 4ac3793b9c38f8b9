import { ButlerError, FormatterError, MissingDependencyError } from "../../../errors.ts";

/** The `h5wasm/node` module: libhdf5 compiled to WebAssembly, reading and writing real host paths. */
export type H5wasm = typeof import("h5wasm/node");

let loading: Promise<H5wasm> | undefined;
let loaded: H5wasm | undefined;

/**
 * h5wasm, imported on first use (it is 15 MB of WebAssembly) and ready. HDF5's errors are turned into
 * exceptions once, so a failed call throws instead of printing to stderr and returning garbage.
 * @throws {MissingDependencyError} when the `h5wasm` package is not installed.
 */
export function loadH5wasm(): Promise<H5wasm> {
  loading ??= (async () => {
    let h5: H5wasm;
    try {
      h5 = await import("h5wasm/node");
    } catch (cause) {
      loading = undefined;
      throw new MissingDependencyError('Reading and writing HDF5 files needs the "h5wasm" package', {
        hint: "Install it: npm install h5wasm",
        cause,
      });
    }
    const module = await h5.ready;
    module.activate_throwing_error_handler();
    loaded = h5;
    return h5;
  })();
  return loading;
}

interface EmscriptenStreams {
  readonly streams: readonly ({ readonly path?: string } | null | undefined)[];
  close(stream: unknown): void;
}

/**
 * Close the temporary files h5wasm's throwing error handler opens to format an HDF5 error and never
 * closes (it throws before `fclose`), so each error does not hold a file descriptor for good.
 */
function releaseErrorFiles(): void {
  const h5 = loaded;
  if (h5 === undefined) return;
  const fs = h5.Module.FS as unknown as EmscriptenStreams;
  for (const stream of fs.streams) {
    if (stream?.path?.startsWith("/tmp/tmpfile_") === true) fs.close(stream);
  }
}

/**
 * The innermost reason in an HDF5 error stack (`file signature not found`), or the error's own message
 * for errors h5wasm raises itself.
 */
export function hdf5Reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const reasons = [...text.matchAll(/#\d+: .* in [\w.]+\(\): (.*)$/gm)].map((m) => (m[1] as string).trim());
  return reasons.at(-1) ?? text.split("\n")[0] ?? text;
}

/**
 * Run `action` (synchronous h5wasm calls), turning h5wasm's and HDF5's errors into a FormatterError about
 * `file`; butler-ts's own errors pass through.
 * @throws {FormatterError} for any failure of h5wasm.
 */
export function guardHdf5<T>(doing: string, file: string | undefined, action: () => T): T {
  try {
    return action();
  } catch (error) {
    if (error instanceof ButlerError) throw error;
    releaseErrorFiles();
    throw new FormatterError(`Cannot ${doing} HDF5: ${hdf5Reason(error)}`, {
      ...(file === undefined ? {} : { file }),
      cause: error,
    });
  }
}
