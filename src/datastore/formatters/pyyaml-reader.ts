import { type CollectionTag, parseDocument, type ScalarTag, type Tags } from "yaml";
import { FormatterError } from "../../errors.ts";
import {
  constructYamlBool,
  constructYamlFloat,
  constructYamlInt,
} from "../../util/pyyaml/pyyaml-construct.ts";
import {
  PYYAML_BOOL,
  PYYAML_FLOAT,
  PYYAML_INT,
  PYYAML_NULL,
  PYYAML_TIMESTAMP,
} from "../../util/pyyaml/pyyaml-resolver.ts";
import { decodeUtf8, utf8Length } from "./utf8.ts";

/**
 * The data in YAML bytes, read as PyYAML's `yaml.safe_load` reads it (what daf_butler's YamlFormatter
 * uses): YAML 1.1 with PyYAML's rules for plain scalars (`y`, `n`, `09` and `1e5` are strings; `yes`,
 * `on`, octal `017`, base-60 `1:30` and `.inf` are not), timestamps as `Date`s (UTC when no zone is
 * given), merge keys `<<`, duplicate keys keeping the last value, `!!binary` as bytes, `!!set` as a
 * `Set`, `!!omap` as a `Map`. lsst.utils's `Packages` tag reads as a plain mapping, as it does in
 * daf_butler (which registers it). Integers beyond 2^53 lose precision, as any JavaScript number does.
 * @throws {FormatterError} with the byte offset, for invalid UTF-8, invalid YAML, several documents, or a
 * tag that needs Python (`!!python/tuple`, `!<lsst.daf.base.PropertyList>` written with `unsafe_dump`).
 */
export function readPyYaml(bytes: Uint8Array, file?: string): unknown {
  const text = decodeUtf8(bytes, { format: "YAML", stripBom: true, file });
  const bom = bytes.length - utf8Length(text);
  const document = parseDocument(text, {
    version: "1.1",
    customTags: pyyamlTags,
    uniqueKeys: false,
    merge: true,
    prettyErrors: true,
  });
  const error = document.errors[0];
  if (error !== undefined) {
    const detail = error.message.split("\n")[0] ?? error.message;
    throw new FormatterError(`Cannot read YAML: ${detail}`, {
      cause: error,
      offset: bom + utf8Length(text.slice(0, error.pos[0])),
      ...(file === undefined ? {} : { file }),
      hint: "The file is not valid YAML (or holds several documents); check it was written completely.",
    });
  }
  const unresolved = document.warnings.find((warning) => warning.code === "TAG_RESOLVE_FAILED");
  if (unresolved !== undefined) {
    const detail = unresolved.message.split("\n")[0] ?? unresolved.message;
    throw new FormatterError(`Cannot read YAML: ${detail.replace("Unresolved tag", "unknown tag")}`, {
      offset: bom + utf8Length(text.slice(0, unresolved.pos[0])),
      ...(file === undefined ? {} : { file }),
      hint: "The tag names a Python class (written with daf_butler's unsafe_dump); only plain YAML data can be read.",
    });
  }
  return document.toJS();
}

const PACKAGES_TAGS: readonly string[] = ["lsst.utils.packages.Packages", "lsst.base.Packages"];

/** yaml 1.1's map, seq, str, binary, merge, omap, pairs and set, with PyYAML's scalar rules instead of yaml's. */
function pyyamlTags(tags: Tags): Tags {
  const replaced = new Set(
    ["bool", "int", "float", "null", "timestamp"].map((name) => `tag:yaml.org,2002:${name}`),
  );
  const kept = tags.filter((tag) => typeof tag === "string" || !replaced.has(tag.tag));
  const packages = PACKAGES_TAGS.map(
    (tag): CollectionTag => ({ tag, collection: "map", default: false, resolve: (map) => map }),
  );
  return [...SCALARS, ...kept, ...packages];
}

const SCALARS: readonly ScalarTag[] = [
  {
    tag: "tag:yaml.org,2002:bool",
    default: true,
    test: PYYAML_BOOL,
    identify: (value) => typeof value === "boolean",
    resolve: constructYamlBool,
  },
  {
    tag: "tag:yaml.org,2002:float",
    default: true,
    test: PYYAML_FLOAT,
    identify: (value) => typeof value === "number",
    resolve: constructYamlFloat,
  },
  {
    tag: "tag:yaml.org,2002:int",
    default: true,
    test: PYYAML_INT,
    identify: (value) => Number.isInteger(value),
    resolve: resolveInt,
  },
  {
    tag: "tag:yaml.org,2002:null",
    default: true,
    test: PYYAML_NULL,
    identify: (value) => value === null,
    resolve: () => null,
  },
  {
    tag: "tag:yaml.org,2002:timestamp",
    default: true,
    test: PYYAML_TIMESTAMP,
    identify: (value) => value instanceof Date,
    resolve: resolveTimestamp,
  },
];

/** An int as a JavaScript number (rounded beyond 2^53); NaN for digits PyYAML cannot read (`0x_`). */
function resolveInt(text: string): number {
  const value = constructYamlInt(text);
  return value === undefined ? Number.NaN : Number(value);
}

const TIMESTAMP_PARTS =
  /^(\d{4})-(\d\d?)-(\d\d?)(?:(?:[Tt]|[ \t]+)(\d\d?):(\d\d):(\d\d)(?:\.(\d*))?(?:[ \t]*(Z|([-+])(\d\d?)(?::(\d\d))?))?)?$/;

/** PyYAML's `construct_yaml_timestamp`, as a Date: a time without a zone is taken as UTC. */
function resolveTimestamp(text: string): Date {
  const [, year, month, day, hour, minute, second, fraction, zone, zoneSign, zoneHour, zoneMinute] =
    TIMESTAMP_PARTS.exec(text) ?? [];
  const milliseconds = Number((fraction ?? "").padEnd(3, "0").slice(0, 3));
  let time = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour ?? 0),
    Number(minute ?? 0),
    Number(second ?? 0),
    milliseconds,
  );
  if (zone !== undefined && zone !== "Z") {
    const offset = (Number(zoneHour) * 60 + Number(zoneMinute ?? 0)) * 60_000;
    time += zoneSign === "-" ? offset : -offset;
  }
  return new Date(time);
}
