import type { SqlColumn, TableSpec } from "../../table-spec.ts";
import { shrinkPostgresName } from "./name-shrinker.ts";

/**
 * A PostgreSQL identifier, always double-quoted: registry names are lower case, so quoting never changes
 * what they mean, and reserved words (`position`, `group`) need no list.
 * @example quotePostgresIdentifier("group") // '"group"'
 */
export function quotePostgresIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Strings up to this length are `character varying(n)`; longer ones `text` (as in daf_butler's dump). */
const MAX_VARCHAR_LENGTH = 32;

function sqlType(column: SqlColumn): string {
  switch (column.type) {
    case "string":
      return column.length !== undefined && column.length <= MAX_VARCHAR_LENGTH
        ? `character varying(${column.length})`
        : "text";
    case "smallint":
      return "smallint";
    case "int":
      return "integer";
    case "bigint":
      return "bigint";
    case "float":
      return "double precision";
    case "bool":
      return "boolean";
    case "uuid":
      return "uuid";
    case "text":
    case "hash":
    case "region":
      return "text";
    case "timespan":
      return "int8range";
  }
}

function literal(value: number | bigint | string): string {
  return typeof value === "string" ? `'${value.replaceAll("'", "''")}'` : String(value);
}

/** The sequence daf_butler creates for an autoincrement column (it calls `nextval` itself on insert). */
const sequenceOf = (table: string, column: string) => shrinkPostgresName(`${table}_seq_${column}`);

function sequenceName(spec: TableSpec, column: SqlColumn): string {
  return sequenceOf(spec.name, column.name);
}

/**
 * The next value of autoincrement key `column` of `table` from daf_butler's `<table>_seq_<column>`
 * sequence, as daf_butler itself writes it (its tables give the key no default).
 */
export function postgresNextId(table: string, column: string): string {
  return `nextval('${sequenceOf(table, column).replaceAll("'", "''")}')`;
}

function defaultClause(spec: TableSpec, column: SqlColumn): string {
  const value = column.default;
  if (column.autoincrement) {
    // A column default on the same sequence: daf_butler's explicit nextval and our omitted column agree.
    return ` DEFAULT ${postgresNextId(spec.name, column.name)}`;
  }
  if (value === undefined) return "";
  if (column.type === "timespan") {
    // daf_butler's default is the unbounded range, whatever the sentinel pair in the spec.
    return " DEFAULT '(,)'::int8range";
  }
  if (typeof value === "object") throw new TypeError(`column ${column.name} cannot default to a pair`);
  return ` DEFAULT ${literal(value)}`;
}

const list = (names: readonly string[]) => names.map(quotePostgresIdentifier).join(", ");

/**
 * PostgreSQL DDL for a table in the shape of daf_butler's (checked against its `small_pg.sql` dump):
 * sequences for autoincrement keys, then CREATE TABLE with `<table>_pkey`, `<table>_unq_<cols>` and
 * `fkey_...` constraints, then `<table>_idx_`/`_fkidx_` indexes; names over 63 characters are shrunk as daf_butler shrinks them. As in
 * daf_butler's dump, an exclusion becomes a plain btree index (no EXCLUDE constraint): the writer checks
 * calibration overlaps.
 * @throws {TypeError} when the spec names a column it does not have, or gives a default of the wrong shape.
 */
export function renderPostgresTable(spec: TableSpec): string[] {
  const table = quotePostgresIdentifier(spec.name);
  const names = new Set(spec.columns.map((c) => c.name));
  const check = (columns: readonly string[]) => {
    for (const name of columns) {
      if (!names.has(name)) throw new TypeError(`table ${spec.name} has no column ${name}`);
    }
    return columns;
  };
  const constraint = (name: string) => `CONSTRAINT ${quotePostgresIdentifier(shrinkPostgresName(name))}`;
  const lines = spec.columns.map(
    (c) =>
      `${quotePostgresIdentifier(c.name)} ${sqlType(c)}${defaultClause(spec, c)}${c.nullable ? "" : " NOT NULL"}`,
  );
  if (spec.primaryKey.length > 0) {
    lines.push(`${constraint(`${spec.name}_pkey`)} PRIMARY KEY (${list(check(spec.primaryKey))})`);
  }
  for (const columns of spec.unique) {
    lines.push(`${constraint(`${spec.name}_unq_${columns.join("_")}`)} UNIQUE (${list(check(columns))})`);
  }
  for (const fk of spec.foreignKeys) {
    const name = ["fkey", spec.name, fk.table, ...fk.target, ...fk.source].join("_");
    lines.push(
      `${constraint(name)} FOREIGN KEY (${list(check(fk.source))}) ` +
        `REFERENCES ${quotePostgresIdentifier(fk.table)} (${list(fk.target)})` +
        (fk.onDelete === undefined ? "" : ` ON DELETE ${fk.onDelete}`),
    );
  }
  const covered = new Set([spec.primaryKey, ...spec.unique].map((columns) => columns.join(",")));
  const indexes: string[] = [];
  const index = (kind: string, columns: readonly string[]) => {
    if (covered.has(columns.join(","))) return;
    covered.add(columns.join(","));
    const name = quotePostgresIdentifier(shrinkPostgresName(`${spec.name}_${kind}_${columns.join("_")}`));
    indexes.push(`CREATE INDEX ${name} ON ${table} (${list(check(columns))})`);
  };
  for (const columns of spec.indexes) index("idx", columns);
  for (const exclusion of spec.exclusions) index("idx", [...exclusion.equal, exclusion.overlap]);
  for (const fk of spec.foreignKeys) if (fk.addIndex) index("fkidx", fk.source);
  return [
    ...spec.columns
      .filter((c) => c.autoincrement)
      .map((c) => `CREATE SEQUENCE IF NOT EXISTS ${quotePostgresIdentifier(sequenceName(spec, c))}`),
    `CREATE TABLE ${table} (\n\t${lines.join(",\n\t")}\n)`,
    ...indexes,
  ];
}
