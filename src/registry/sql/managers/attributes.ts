import type { SqlExecutor } from "../database.ts";

/**
 * The `butler_attributes` table: daf_butler's key/value store for the manager classes and schema
 * versions of a repository and the dimension universe it was created with (`config:dimensions.json`).
 */
export class ButlerAttributes {
  readonly #db: SqlExecutor;

  constructor(db: SqlExecutor) {
    this.#db = db;
  }

  /** Every attribute, by name (the table has no portable insertion order: PostgreSQL has no rowid). */
  async all(): Promise<Map<string, string>> {
    const rows = await this.#db.query("SELECT name, value FROM butler_attributes ORDER BY name");
    return new Map(rows.map((row) => [String(row.name), String(row.value)]));
  }

  /** One attribute's value, or undefined. */
  async get(name: string): Promise<string | undefined> {
    const rows = await this.#db.query(
      `SELECT value FROM butler_attributes WHERE name = ${this.#db.dialect.placeholder(1)}`,
      [name],
    );
    return rows.length === 0 ? undefined : String(rows[0]?.value);
  }

  /** Write attributes that do not exist yet (a repository's attributes are written once, at creation). */
  async insert(entries: Iterable<[string, string]>): Promise<void> {
    const p = this.#db.dialect.placeholder;
    await this.#db.runMany(`INSERT INTO butler_attributes (name, value) VALUES (${p(1)}, ${p(2)})`, entries);
  }
}
