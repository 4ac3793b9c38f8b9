import type { RecordValue } from "../dimensions/dimension-record.ts";
import type { DimensionElement } from "../dimensions/elements.ts";
import type { DimensionUniverse } from "../dimensions/universe.ts";
import { DimensionNameError, ExportFormatError, InvalidTimeError } from "../errors.ts";
import { formatTime } from "../time/format-time.ts";
import { Timespan } from "../time/timespan.ts";
import { didYouMean } from "../util/suggest.ts";
import type { ExportDocument, ExportedDimensionRecords, ExportItem } from "./export-document.ts";

/** Options of {@link migrateExportDocument}. */
export interface MigrateOptions {
  /**
   * Seconds from TAI midnight to the start of each instrument's observing day, by instrument name
   * (daf_butler asks the instrument's metadata translator). Used to give new `day_obs` records their
   * timespans and to compute a missing `visit.day_obs`; instruments not listed get no timespans.
   */
  readonly dayObsOffsets?: Readonly<Record<string, number>>;
}

/** A document migrated to a universe, and what the migration had to say (never printed). */
export interface MigrationResult {
  readonly document: ExportDocument;
  readonly warnings: readonly string[];
}

type MutableRecord = Record<string, RecordValue>;

/**
 * Bring an export document from the dimension universe it was written with to `universe`, doing what
 * daf_butler's importer does for files of older `daf_butler` universes:
 * - < 1: drop `visit.seeing`; compute a missing `visit.day_obs` from the visit's start time;
 * - < 2: turn `visit.visit_system` into `visit_system_membership` records (and drop `visit_system` from
 *   dataset types that also have `visit`);
 * - < 6: make `group` records from `exposure.group_name` (renamed `group`; `group_id` dropped) and `day_obs`
 *   records from the `day_obs` values of visits and exposures, with timespans where the instrument's day
 *   offset is known (otherwise none, with a warning, as daf_butler warns).
 * No other field is dropped: every record must then fit the target universe. A document already at the
 * target version comes back unchanged.
 *
 * @example const { document, warnings } = migrateExportDocument(parseExportDocument(text, path), defaultUniverse());
 * @throws {DimensionNameError} for an element the universe does not have, or a record field its element
 *   does not have (naming the item, record and field).
 * @throws {ExportFormatError} when a record lacks a value the migration needs (a visit's `visit_system`, an
 *   exposure's `group_name`, a `day_obs`).
 */
export function migrateExportDocument(
  document: ExportDocument,
  universe: DimensionUniverse,
  options: MigrateOptions = {},
): MigrationResult {
  checkElements(document.items, universe);
  const sameUniverse =
    document.universeNamespace === universe.namespace && document.universeVersion === universe.version;
  const migration = sameUniverse ? undefined : new Migration(document, universe, options);
  const items = migration === undefined ? document.items : migration.run();
  checkFields(items, universe);
  if (migration === undefined) return { document, warnings: [] };
  const migrated: ExportDocument = Object.freeze({
    ...document,
    universeVersion:
      document.universeNamespace === universe.namespace ? universe.version : document.universeVersion,
    items: Object.freeze(migration.insertNewRecords(items)),
  });
  return { document: migrated, warnings: Object.freeze(migration.warnings) };
}

class Migration {
  readonly warnings: string[] = [];
  readonly #document: ExportDocument;
  readonly #universe: DimensionUniverse;
  readonly #offsets: Readonly<Record<string, number>>;
  readonly #visitSystem: boolean;
  readonly #visitSeeing: boolean;
  readonly #group: boolean;
  readonly #exposureDayObs: boolean;
  readonly #visitDayObs: boolean;
  readonly #addVisitDayObs: boolean;
  /** New records by element name, keyed by their data ID so each is made once. */
  readonly #newRecords = new Map<string, Map<string, MutableRecord>>();

  constructor(document: ExportDocument, universe: DimensionUniverse, options: MigrateOptions) {
    this.#document = document;
    this.#universe = universe;
    this.#offsets = options.dayObsOffsets ?? {};
    const from = document.universeVersion ?? 0;
    const ours = document.universeNamespace === "daf_butler";
    const implied = (element: string, dimension: string) =>
      universe.has(element) && universe.element(element).implied.some((d) => d.name === dimension);
    const hasMetadata = (element: string, field: string) =>
      universe.has(element) && universe.element(element).metadata.some((c) => c.name === field);
    this.#visitSystem = ours && from < 2 && universe.has("visit_system_membership");
    this.#visitSeeing = ours && from < 1 && universe.has("visit") && !hasMetadata("visit", "seeing");
    this.#group = ours && from < 6 && implied("exposure", "group");
    this.#exposureDayObs = ours && from < 6 && implied("exposure", "day_obs");
    this.#visitDayObs = ours && from < 6 && implied("visit", "day_obs");
    this.#addVisitDayObs =
      ours && from < 1 && (implied("visit", "day_obs") || hasMetadata("visit", "day_obs"));
  }

  /** The document's items with visit, exposure and dataset type items migrated. */
  run(): ExportItem[] {
    const items = this.#document.items.map((item, i) => {
      if (item.type === "dataset_type" && this.#visitSystem && item.dimensions.includes("visit")) {
        return Object.freeze({ ...item, dimensions: item.dimensions.filter((d) => d !== "visit_system") });
      }
      if (item.type !== "dimension" || (item.element !== "visit" && item.element !== "exposure")) return item;
      const records = item.records.map((record, j) => {
        const fields = { ...record };
        const where = `data[${i}].records[${j}]`;
        if (item.element === "visit") this.#migrateVisit(fields, where);
        else this.#migrateExposure(fields, where);
        return inFieldOrder(fields, this.#universe.element(item.element));
      });
      return Object.freeze({ ...item, records: Object.freeze(records) });
    });
    this.#makeDayObsTimespans();
    return items;
  }

  #migrateVisit(visit: MutableRecord, where: string): void {
    if (this.#visitSystem) {
      const visitSystem = required(visit, "visit_system", where, "visit_system_membership records");
      this.#add("visit_system_membership", {
        instrument: visit.instrument ?? null,
        visit_system: visitSystem,
        visit: visit.id ?? null,
      });
      delete visit.visit_system;
    }
    if (this.#visitSeeing) delete visit.seeing;
    if (this.#addVisitDayObs) visit.day_obs = this.#dayObsOf(visit, where);
    if (this.#visitDayObs) this.#addDayObs(visit, where);
  }

  #migrateExposure(exposure: MutableRecord, where: string): void {
    if (this.#group) {
      const group = required(exposure, "group_name", where, "a group record");
      delete exposure.group_name;
      delete exposure.group_id;
      exposure.group = group;
      this.#add("group", { instrument: exposure.instrument ?? null, name: group });
    }
    if (this.#exposureDayObs) this.#addDayObs(exposure, where);
  }

  /** The observing day (YYYYMMDD, TAI) a visit started on, shifted by its instrument's day offset. */
  #dayObsOf(visit: MutableRecord, where: string): number {
    const timespan = visit.timespan;
    const begin = timespan instanceof Timespan ? timespan.begin : null;
    if (typeof begin !== "bigint") {
      throw new ExportFormatError(`${where}: a visit record needs a start time to compute its day_obs`);
    }
    const offset = this.#offsets[String(visit.instrument)] ?? 0;
    const date = formatTime(begin - BigInt(offset) * 1_000_000_000n, { precision: 0 });
    return Number(date.slice(0, 10).replaceAll("-", ""));
  }

  #addDayObs(record: MutableRecord, where: string): void {
    const dayObs = required(record, "day_obs", where, "a day_obs record");
    this.#add("day_obs", { instrument: record.instrument ?? null, id: dayObs });
  }

  #add(element: string, record: MutableRecord): void {
    let records = this.#newRecords.get(element);
    if (records === undefined) {
      records = new Map();
      this.#newRecords.set(element, records);
    }
    const key = JSON.stringify(Object.values(record));
    if (!records.has(key)) records.set(key, record);
  }

  #makeDayObsTimespans(): void {
    const missing = new Set<string>();
    for (const record of this.#newRecords.get("day_obs")?.values() ?? []) {
      const offset = this.#offsets[String(record.instrument)];
      if (offset === undefined) {
        missing.add(String(record.instrument));
        continue;
      }
      try {
        record.timespan = Timespan.fromDayObs(record.id as number, offset);
      } catch (error) {
        if (!(error instanceof InvalidTimeError)) throw error;
        throw new ExportFormatError(
          `Cannot make a day_obs record for ${JSON.stringify(record.id)}: ${error.message}`,
        );
      }
    }
    if (missing.size > 0) {
      const names = [...missing].sort();
      this.warnings.push(
        "Constructing day_obs records with no timespans for visit/exposure records that were exported " +
          `before day_obs was a dimension (instrument${names.length === 1 ? "" : "s"}: ${names.join(", ")}).`,
      );
    }
  }

  /** `items` with the new records merged into items of their element, or in new items placed in universe order. */
  insertNewRecords(items: readonly ExportItem[]): ExportItem[] {
    const result = [...items];
    const byName = (a: string, b: string) =>
      this.#universe.getElementIndex(a) - this.#universe.getElementIndex(b);
    for (const element of [...this.#newRecords.keys()].sort(byName)) {
      const element_ = this.#universe.element(element);
      const records = [...(this.#newRecords.get(element)?.values() ?? [])]
        .sort(compareByKeys(element_))
        .map((record) => inFieldOrder(record, element_));
      const at = result.findIndex((item) => item.type === "dimension" && item.element === element);
      if (at >= 0) {
        const existing = result[at] as ExportedDimensionRecords;
        result[at] = Object.freeze({
          ...existing,
          records: Object.freeze([...existing.records, ...records]),
        });
        continue;
      }
      const item: ExportedDimensionRecords = Object.freeze({
        type: "dimension",
        element,
        records: Object.freeze(records),
      });
      const later = result.findIndex(
        (other) => other.type === "dimension" && byName(other.element, element) > 0,
      );
      const lastDimension = result.findLastIndex((other) => other.type === "dimension");
      result.splice(later >= 0 ? later : lastDimension + 1, 0, item);
    }
    return result;
  }
}

function required(record: MutableRecord, field: string, where: string, purpose: string): RecordValue {
  const value = record[field];
  if (value === undefined || value === null) {
    throw new ExportFormatError(`${where}: the record has no "${field}", needed to make ${purpose}`);
  }
  return value;
}

function inFieldOrder(
  record: MutableRecord,
  element: DimensionElement,
): Readonly<Record<string, RecordValue>> {
  const ordered: MutableRecord = {};
  for (const field of element.recordFields) if (field in record) ordered[field] = record[field] ?? null;
  for (const field of Object.keys(record)) if (!(field in ordered)) ordered[field] = record[field] ?? null;
  return Object.freeze(ordered);
}

function compareByKeys(element: DimensionElement): (a: MutableRecord, b: MutableRecord) => number {
  const keys = element.required.map((d) => element.keyField(d.name) as string);
  return (a, b) => {
    for (const key of keys) {
      const [x, y] = [a[key], b[key]];
      if (x === y) continue;
      if (typeof x === "number" && typeof y === "number") return x - y;
      return String(x) < String(y) ? -1 : 1;
    }
    return 0;
  };
}

function checkElements(items: readonly ExportItem[], universe: DimensionUniverse): void {
  items.forEach((item, i) => {
    if (item.type === "dimension" && !universe.has(item.element)) {
      throw new DimensionNameError(
        `data[${i}]: records of element "${item.element}", which universe ${universe} does not have`,
        {
          hint: didYouMean(
            item.element,
            universe.elements.map((e) => e.name),
          ),
        },
      );
    }
  });
}

function checkFields(items: readonly ExportItem[], universe: DimensionUniverse): void {
  items.forEach((item, i) => {
    if (item.type !== "dimension") return;
    const fields = universe.element(item.element).recordFields;
    item.records.forEach((record, j) => {
      for (const field of Object.keys(record)) {
        if (!fields.includes(field)) {
          throw new DimensionNameError(
            `data[${i}].records[${j}]: field "${field}" of a ${item.element} record, which universe ${universe} does not have`,
            { hint: didYouMean(field, fields) ?? `Fields of ${item.element}: ${fields.join(", ")}.` },
          );
        }
      }
    });
  });
}
