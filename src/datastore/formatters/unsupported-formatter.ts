import { FormatterError, MissingDependencyError } from "../../errors.ts";
import type { Formatter } from "./formatter.ts";

/** What a formatter butler-ts cannot run is, for {@link unsupportedFormatter}. */
export interface UnsupportedFormatterInit {
  /** Our name, or the daf_butler class name when we have none. */
  readonly name: string;
  readonly extensions: readonly string[];
  readonly storageClasses?: readonly string[];
  /** What the files hold, for messages (`Parquet tables`, `Python pickles`). */
  readonly what: string;
  /** `later`: butler-ts will read these (MissingDependencyError); `never`: only Python can (FormatterError). */
  readonly support: "later" | "never";
}

/**
 * A formatter that is only a name: it keeps a dataset's recorded formatter (so records and ingest work,
 * and daf_butler can read the files) and says clearly, when asked to read or write, that butler-ts cannot.
 */
export function unsupportedFormatter(init: UnsupportedFormatterInit): Formatter {
  const refuse = (verb: string, file: string | undefined): never => {
    const subject = file === undefined ? init.what : `${file} (${init.what})`;
    const message = `Cannot ${verb} ${subject}: butler-ts has no ${init.name} formatter${init.support === "later" ? " yet" : ""}`;
    const hint =
      init.support === "later"
        ? "Read or write this dataset with daf_butler in Python until butler-ts supports the format."
        : "Only Python can read this format: use daf_butler, or have the dataset rewritten in another format.";
    const options = { hint, ...(file === undefined ? {} : { file }) };
    throw init.support === "later"
      ? new MissingDependencyError(message, options)
      : new FormatterError(message, options);
  };
  return Object.freeze<Formatter>({
    name: init.name,
    extension: init.extensions[0] ?? "",
    extensions: Object.freeze([...init.extensions]),
    storageClasses: Object.freeze([...(init.storageClasses ?? [])]),
    writeParameters: Object.freeze([]),
    appliesReadOptions: false,
    read: async (_source, _options, file) => refuse("read", file),
    write: async () => refuse("write", undefined),
  });
}
