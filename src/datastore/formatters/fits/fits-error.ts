import { FormatterError } from "../../../errors.ts";
import type { FitsLocation } from "./fits-types.ts";

const DAMAGED = "The file is not a valid FITS file: it may be truncated or damaged, or be in another format.";

/** A FormatterError about FITS bytes, naming the file and byte offset when known. */
export function fitsError(message: string, where: FitsLocation = {}, hint: string = DAMAGED): FormatterError {
  return new FormatterError(message, {
    ...(where.file === undefined ? {} : { file: where.file }),
    ...(where.offset === undefined ? {} : { offset: where.offset }),
    hint,
  });
}
