import type { SqlExecutor, SqlValue } from "../database.ts";

/**
 * Insert one row into `table` with a new autoincrement key `idColumn` (numbered as the dialect says:
 * left to SQLite, from daf_butler's sequence on PostgreSQL) and return that key, read with `RETURNING`;
 * undefined when `conflict` (`ON CONFLICT ... DO NOTHING`) skipped the row.
 */
export async function insertReturningId(
  db: SqlExecutor,
  table: string,
  idColumn: string,
  values: Readonly<Record<string, SqlValue>>,
  conflict = "",
): Promise<number | undefined> {
  const { quote, placeholder, nextId } = db.dialect;
  const names = Object.keys(values).map(quote);
  const sql = Object.keys(values).map((_, i) => placeholder(i + 1));
  const next = nextId(table, idColumn);
  if (next !== null) {
    names.push(quote(idColumn));
    sql.push(next);
  }
  const body = names.length === 0 ? "DEFAULT VALUES" : `(${names.join(", ")}) VALUES (${sql.join(", ")})`;
  const rows = await db.query(
    `INSERT INTO ${quote(table)} ${body}${conflict === "" ? "" : ` ${conflict}`} RETURNING ${quote(idColumn)}`,
    Object.values(values),
  );
  const id = rows[0]?.[idColumn];
  return id === undefined || id === null ? undefined : Number(id);
}
