import { ConfigNode } from "../config/config-node.ts";
import type { DatastoreRecordStore } from "../datasets/datastore-records.ts";
import { ConfigError } from "../errors.ts";
import { ChainedDatastore } from "./chained-datastore.ts";
import { DatastoreConstraints } from "./constraints.ts";
import type { Datastore } from "./datastore.ts";
import { FileDatastore } from "./file-datastore.ts";
import type { FormatterTable } from "./formatters/formatter-table.ts";
import { InMemoryDatastore } from "./in-memory-datastore.ts";
import type { ObjectCodec } from "./object-codec.ts";
import { ResourceUri } from "./storage/resource-uri.ts";
import type { StorageBackends } from "./storage/storage-backends.ts";
import { FileTemplates } from "./templates/file-templates.ts";

/** What a datastore configuration is turned into a datastore with. */
export interface DatastoreEnvironment {
  /** Replaces `<butlerRoot>` in config strings by the repository root. */
  readonly expandRoot: (value: string) => string;
  readonly records: DatastoreRecordStore;
  readonly storage: StorageBackends;
  readonly objects: ObjectCodec;
  readonly formatters: FormatterTable;
}

const FILE = ["lsst.daf.butler.datastores.fileDatastore.FileDatastore", "FileDatastore"];
const MEMORY = ["lsst.daf.butler.datastores.inMemoryDatastore.InMemoryDatastore", "InMemoryDatastore"];
const CHAINED = ["lsst.daf.butler.datastores.chainedDatastore.ChainedDatastore", "ChainedDatastore"];
const FILE_KEYS = [
  "cls",
  "root",
  "name",
  "records",
  "create",
  "templates",
  "formatters",
  "composites",
  "constraints",
  "checksum",
  "trust_get_request",
  "cached",
];

/**
 * The datastore a `datastore:` config section describes: daf_butler's FileDatastore, InMemoryDatastore or
 * ChainedDatastore (by their class names), with templates, formatters, constraints and checksums.
 * @throws {ConfigError} for an unknown class or key, naming its path.
 */
export function createDatastore(
  raw: unknown,
  environment: DatastoreEnvironment,
  path = "datastore",
): Datastore {
  const node = ConfigNode.of(raw ?? {}, path);
  const cls = node.has("cls") ? node.string("cls") : FILE[0];
  if (CHAINED.includes(cls as string)) {
    const children = node.raw("datastores");
    if (!Array.isArray(children) || children.length === 0) {
      throw new ConfigError("a ChainedDatastore needs a non-empty list of datastores", {
        path: node.pathOf("datastores"),
      });
    }
    const datastores = children.map((child, i) =>
      createDatastore(child, environment, `${node.pathOf("datastores")}[${i}]`),
    );
    return new ChainedDatastore(
      node.has("name")
        ? node.string("name")
        : `ChainedDatastore[${datastores.map((d) => d.name).join(", ")}]`,
      datastores,
    );
  }
  const constraints = DatastoreConstraints.fromConfig(node.raw("constraints"), node.pathOf("constraints"));
  if (MEMORY.includes(cls as string)) {
    return new InMemoryDatastore(
      node.has("name") ? node.string("name") : "InMemoryDatastore",
      environment.objects,
      constraints,
    );
  }
  if (!FILE.includes(cls as string)) {
    throw new ConfigError(`unsupported datastore class "${cls}"`, {
      path: node.pathOf("cls"),
      hint: `Use one of ${[FILE[0], MEMORY[0], CHAINED[0]].join(", ")}.`,
    });
  }
  node.rejectUnknownKeys(FILE_KEYS);
  const rootText = node.has("root") ? node.string("root") : "<butlerRoot>";
  const table = node.has("records") ? ConfigNode.of(node.raw("records"), node.pathOf("records")) : null;
  if (table?.has("table") && table.string("table") !== "file_datastore_records") {
    throw new ConfigError(
      `only the "file_datastore_records" table is supported, not "${table.string("table")}"`,
      {
        path: table.pathOf("table"),
      },
    );
  }
  const expanded = environment.expandRoot(rootText);
  const root = ResourceUri.hasScheme(expanded)
    ? ResourceUri.parse(expanded.endsWith("/") ? expanded : `${expanded}/`)
    : ResourceUri.file(expanded, true);
  return new FileDatastore({
    name: node.has("name") ? node.string("name") : `FileDatastore@${rootText}`,
    root,
    storage: environment.storage,
    templates: FileTemplates.defaults().merged(
      FileTemplates.fromConfig(node.raw("templates") ?? {}, node.pathOf("templates")),
    ),
    formatters: node.has("formatters")
      ? environment.formatters.withOverrides(node.raw("formatters"), node.pathOf("formatters"))
      : environment.formatters,
    objects: environment.objects,
    records: environment.records,
    constraints,
    checksum: node.boolean("checksum", false),
  });
}
