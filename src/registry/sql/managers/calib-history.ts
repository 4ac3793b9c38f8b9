import { TAI_MAX_NS } from "../../../time/tai-range.ts";
import type { Database } from "../database.ts";
import type { TableSpec } from "../table-spec.ts";
import type { DatasetTypeRecord } from "./dataset-types.ts";

/**
 * butler-ts's bitemporal record of calibration certifications, one table per dimension group beside
 * daf_butler's `dataset_calibs_NNNNNNNN` (which daf_butler ignores): every validity range ever certified,
 * with the record time it became live (`recorded_begin`) and the record time it was superseded
 * (`recorded_end`, the far future while live). The live table stays daf_butler's, so current lookups
 * cost what they always did; history is derived by reconciling the two inside each writing transaction.
 */
export function historyTableName(calibTable: string): string {
  return `butlerts_history_${calibTable}`;
}

/** The table recording when each history table began (a repository made by daf_butler starts it late). */
export const HISTORY_START_TABLE = "butlerts_history_start";

/** The spec of a history table for the dataset type's dimension group. */
export function historyTableSpec(type: DatasetTypeRecord): TableSpec {
  const name = historyTableName(type.calibTable as string);
  const dims = type.datasetType.dimensions.required;
  return {
    name,
    columns: [
      { name: "id", type: "bigint", nullable: false, autoincrement: true },
      { name: "dataset_type_id", type: "bigint", nullable: false },
      { name: "dataset_id", type: "uuid", nullable: false },
      { name: "collection_id", type: "bigint", nullable: false },
      ...dims.map((d) => ({ name: d, ...dimensionColumnType(type, d), nullable: false })),
      { name: "timespan", type: "timespan", nullable: false },
      { name: "recorded_begin", type: "bigint", nullable: false },
      { name: "recorded_end", type: "bigint", nullable: false, default: TAI_MAX_NS },
    ],
    primaryKey: ["id"],
    unique: [],
    foreignKeys: [
      {
        table: "collection",
        source: ["collection_id"],
        target: ["collection_id"],
        onDelete: "CASCADE",
        addIndex: false,
      },
    ],
    indexes: [["dataset_type_id", "collection_id", ...dims, "recorded_begin", "recorded_end"]],
    exclusions: [],
  };
}

/** The spec of the table of history start times. */
export function historyStartTableSpec(): TableSpec {
  return {
    name: HISTORY_START_TABLE,
    columns: [
      { name: "table_name", type: "string", length: 128, nullable: false },
      { name: "started", type: "bigint", nullable: false },
    ],
    primaryKey: ["table_name"],
    unique: [],
    foreignKeys: [],
    indexes: [],
    exclusions: [],
  };
}

function dimensionColumnType(
  type: DatasetTypeRecord,
  dimension: string,
): { type: "string" | "bigint"; length?: number } {
  const key = type.datasetType.dimensions.universe.dimension(dimension).primaryKey;
  return key.type === "string"
    ? { type: "string", ...(key.length !== undefined ? { length: key.length } : {}) }
    : { type: "bigint" };
}

/**
 * Make the history of the live calibs table of `type` agree with it at record time `now`: close history
 * rows whose live row is gone, open rows for live rows history has not seen. Run at the end of every
 * transaction that certifies or decertifies, so each change is stamped with that transaction's time;
 * creates the history table first if needed (then history starts `now`).
 */
export async function reconcileHistory(db: Database, type: DatasetTypeRecord, now: bigint): Promise<void> {
  const calibs = type.calibTable as string;
  const history = historyTableName(calibs);
  const { quote, placeholder: p } = db.dialect;
  if ((await db.query(db.dialect.tableExistsQuery, [HISTORY_START_TABLE])).length === 0) {
    for (const statement of db.dialect.renderTable(historyStartTableSpec())) await db.exec(statement);
  }
  const exists = await db.query(`SELECT table_name FROM ${HISTORY_START_TABLE} WHERE table_name = ${p(1)}`, [
    history,
  ]);
  if (exists.length === 0) {
    for (const statement of db.dialect.renderTable(historyTableSpec(type))) await db.exec(statement);
    await db.run(`INSERT INTO ${HISTORY_START_TABLE} (table_name, started) VALUES (${p(1)}, ${p(2)})`, [
      history,
      now,
    ]);
  }
  const dims = type.datasetType.dimensions.required.map(quote);
  const spanColumns = db.dialect.timespanColumns("timespan").map(quote);
  const same = ["dataset_type_id", "collection_id", "dataset_id", ...spanColumns.map((c) => c)]
    .map((c) => `c.${c} = h.${c}`)
    .join(" AND ");
  await db.run(
    `UPDATE ${quote(history)} SET recorded_end = ${p(1)} WHERE recorded_end = ${p(2)} AND NOT EXISTS (SELECT 1 FROM ${quote(calibs)} c WHERE ${same.replaceAll("h.", `${quote(history)}.`)})`,
    [now, TAI_MAX_NS],
  );
  const columns = ["dataset_type_id", "dataset_id", "collection_id", ...dims, ...spanColumns];
  await db.run(
    `INSERT INTO ${quote(history)} (${columns.join(", ")}, recorded_begin, recorded_end) SELECT ${columns.map((c) => `c.${c}`).join(", ")}, ${p(1)}, ${p(2)} FROM ${quote(calibs)} c WHERE NOT EXISTS (SELECT 1 FROM ${quote(history)} h WHERE h.recorded_end = ${p(3)} AND ${same})`,
    [now, TAI_MAX_NS, TAI_MAX_NS],
  );
}

/** When the history of a calibs table began, or undefined when it has none yet. */
export async function historyStart(db: Database, type: DatasetTypeRecord): Promise<bigint | undefined> {
  const p = db.dialect.placeholder;
  if ((await db.query(db.dialect.tableExistsQuery, [HISTORY_START_TABLE])).length === 0) return undefined;
  const rows = await db.query(
    `SELECT started FROM ${HISTORY_START_TABLE} WHERE table_name = ${p(1)}`,
    [historyTableName(type.calibTable as string)],
    { bigints: true },
  );
  return rows[0] === undefined ? undefined : BigInt(rows[0].started as bigint);
}
