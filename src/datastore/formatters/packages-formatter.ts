import { FormatterError } from "../../errors.ts";
import type { Formatter } from "./formatter.ts";
import { decodeJson } from "./json-formatter.ts";
import { readPyYaml } from "./pyyaml-reader.ts";
import { dumpPyYaml } from "./pyyaml-writer.ts";
import { encodeUtf8 } from "./utf8.ts";
import { writeParametersOf } from "./write-parameters.ts";

const PACKAGES_TAG = "lsst.utils.packages.Packages";
const PICKLE_PROTOCOL = 0x80;

/**
 * Software versions (daf_butler's PackagesFormatter, `packages` datasets): a mapping of package name to
 * version. Reads the YAML and JSON forms lsst.utils writes; writes the YAML form (daf_butler's default
 * `format: yaml`): `yaml.dump` of a `Packages`, tagged `!<lsst.utils.packages.Packages>`, keys sorted.
 */
export const packagesFormatter: Formatter = Object.freeze<Formatter>({
  name: "packages",
  extension: ".yaml",
  extensions: Object.freeze([".yaml", ".json"]),
  storageClasses: Object.freeze(["Packages"]),
  writeParameters: Object.freeze(["format"]),
  appliesReadOptions: false,
  async read(source, _options, file) {
    const bytes = await source.readAll();
    const first = bytes.find((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
    if (first === PICKLE_PROTOCOL) {
      throw new FormatterError("Cannot read packages: they were written as a Python pickle", {
        ...(file === undefined ? {} : { file }),
        hint: "Only Python can read pickles: rewrite them with daf_butler's default `format: yaml`.",
      });
    }
    return first === 0x7b ? decodeJson(bytes, file) : readPyYaml(bytes, file);
  },
  async write(object, options) {
    const format = writeParametersOf("packages", ["format"], options).format ?? "yaml";
    if (format !== "yaml") {
      throw new FormatterError(
        `Cannot write packages as ${JSON.stringify(format)}: butler-ts writes them as YAML`,
        {
          hint: 'Set the Packages formatter parameter "format" to "yaml" (daf_butler\'s default).',
        },
      );
    }
    return encodeUtf8(dumpPyYaml(object, { rootTag: PACKAGES_TAG, sortKeys: true }));
  },
});
