import { FormatterError } from "../../errors.ts";
import type { Formatter } from "./formatter.ts";
import { parseJson } from "./json-reader.ts";
import { writePythonJson } from "./json-writer.ts";
import { decodeUtf8, encodeUtf8, utf8Length } from "./utf8.ts";
import { writeParametersOf } from "./write-parameters.ts";

/**
 * The data in JSON bytes, as Python's `json.loads` reads them (so `NaN` and `Infinity` too).
 * @throws {FormatterError} for invalid UTF-8 or invalid JSON, with the byte offset, line and column.
 */
export function decodeJson(bytes: Uint8Array, file?: string): unknown {
  const text = decodeUtf8(bytes, { format: "JSON", stripBom: true, file });
  return parseJson(text, ({ reason, position }) => {
    const before = text.slice(0, position);
    const line = before.split("\n").length;
    const column = position - before.lastIndexOf("\n");
    throw new FormatterError(`Cannot read JSON: ${reason} (line ${line}, column ${column})`, {
      offset: bytes.length - utf8Length(text) + utf8Length(before),
      ...(file === undefined ? {} : { file }),
      hint: "The file is not valid JSON: it may be truncated, or be in another format.",
    });
  });
}

/**
 * JSON files, as daf_butler's JsonFormatter reads and writes them: one line in Python's `json.dumps`
 * style (`{"a": 1, "b": [1.5, 2]}`, UTF-8, non-ASCII characters kept), which Python reads back to the
 * same values. Reads any JSON, Python's `NaN`/`Infinity` included; writes only values JSON can hold.
 */
export const jsonFormatter: Formatter = Object.freeze<Formatter>({
  name: "json",
  extension: ".json",
  extensions: Object.freeze([".json"]),
  storageClasses: Object.freeze([
    "StructuredDataDict",
    "StructuredDataList",
    "int",
    "TaskMetadata",
    "Timespan",
    "Packages",
  ]),
  writeParameters: Object.freeze([]),
  appliesReadOptions: false,
  async read(source, _options, file) {
    return decodeJson(await source.readAll(), file);
  },
  async write(object, options) {
    writeParametersOf("json", [], options);
    return encodeUtf8(writePythonJson(object));
  },
});
