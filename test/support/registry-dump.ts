import { DatabaseSync } from "node:sqlite";

/** Every row of every table of a SQLite registry, as one string: for before/after comparisons. */
export function dumpSqlite(path: string): string {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    db.exec("PRAGMA query_only = 1");
    const tables = db
      .prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name")
      .all();
    const parts = tables.map((t) => `${t.name}: ${t.sql}`);
    for (const table of tables.filter((t) => String(t.sql).startsWith("CREATE TABLE"))) {
      const statement = db.prepare(`SELECT * FROM "${table.name}"`);
      statement.setReadBigInts(true);
      const rows = statement
        .all()
        .map((row) => JSON.stringify(row, (_, v) => (typeof v === "bigint" ? v.toString() : v)));
      parts.push(`${table.name} rows:`, ...rows.sort());
    }
    return parts.join("\n");
  } finally {
    db.close();
  }
}
