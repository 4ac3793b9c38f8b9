import { FormatterError } from "../../errors.ts";
import type { Formatter } from "./formatter.ts";
import { decodeUtf8, encodeUtf8, loneSurrogateIndex } from "./utf8.ts";
import { describeValue } from "./value-path.ts";
import { writeParametersOf } from "./write-parameters.ts";

/**
 * Plain text files: a string stored as its UTF-8 bytes, read back exactly (a byte order mark included).
 * daf_butler has no text formatter; datasets of our `Text` storage class use this one.
 */
export const textFormatter: Formatter = Object.freeze<Formatter>({
  name: "text",
  extension: ".txt",
  extensions: Object.freeze([".txt"]),
  storageClasses: Object.freeze(["Text"]),
  writeParameters: Object.freeze([]),
  appliesReadOptions: false,
  async read(source, _options, file) {
    return decodeUtf8(await source.readAll(), { format: "text", stripBom: false, file });
  },
  async write(object, options) {
    writeParametersOf("text", [], options);
    if (typeof object !== "string") {
      throw new FormatterError(
        `Cannot write ${describeValue(object)} as text: the text formatter writes strings`,
        {
          hint: "Convert it to a string first, or use the json or yaml formatter for data.",
        },
      );
    }
    const index = loneSurrogateIndex(object);
    if (index !== -1) {
      throw new FormatterError(
        `Cannot write text: a lone surrogate (\\u${object.charCodeAt(index).toString(16).toUpperCase()}) at index ${index} has no UTF-8 form`,
        {
          hint: "The string was probably cut in the middle of a character pair (emoji); fix the string.",
        },
      );
    }
    return encodeUtf8(object);
  },
});
