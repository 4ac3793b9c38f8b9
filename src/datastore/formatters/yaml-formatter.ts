import type { Formatter } from "./formatter.ts";
import { readPyYaml } from "./pyyaml-reader.ts";
import { dumpPyYaml } from "./pyyaml-writer.ts";
import { encodeUtf8 } from "./utf8.ts";
import { writeParametersOf } from "./write-parameters.ts";

/**
 * YAML files, as daf_butler's YamlFormatter reads (`yaml.safe_load`) and writes them
 * (`yaml.safe_dump(data, sort_keys=False)`): a file we write is byte for byte the file daf_butler writes
 * for the same data. The `unsafe_dump` write parameter is accepted and changes nothing: it only matters
 * for Python objects with their own YAML representers, which plain data does not have.
 */
export const yamlFormatter: Formatter = Object.freeze<Formatter>({
  name: "yaml",
  extension: ".yaml",
  extensions: Object.freeze([".yaml", ".yml"]),
  storageClasses: Object.freeze(["StructuredDataDict", "StructuredDataList", "ExposureSummaryStats"]),
  writeParameters: Object.freeze(["unsafe_dump"]),
  appliesReadOptions: false,
  async read(source, _options, file) {
    return readPyYaml(await source.readAll(), file);
  },
  async write(object, options) {
    writeParametersOf("yaml", ["unsafe_dump"], options);
    return encodeUtf8(dumpPyYaml(object));
  },
});
