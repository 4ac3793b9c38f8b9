import type { SqlColumn, TableSpec } from "../../table-spec.ts";

/** Words SQLAlchemy's SQLite dialect quotes as identifiers (`SQLiteIdentifierPreparer.reserved_words`). */
const RESERVED_WORDS: ReadonlySet<string> = new Set(
  `add after all alter analyze and as asc attach autoincrement before begin between by cascade case cast
  check collate column commit conflict constraint create cross current_date current_time current_timestamp
  database default deferrable deferred delete desc detach distinct drop each else end escape except
  exclusive exists explain false fail for foreign from full glob group having if ignore immediate in index
  indexed initially inner insert instead intersect into is isnull join key left like limit match natural
  not notnull null of offset on or order outer plan pragma primary query raise references reindex rename
  replace restrict right rollback row select set table temp temporary then to transaction trigger true
  union unique update using vacuum values view virtual when where`.split(/\s+/),
);

/**
 * An SQLite identifier, double-quoted when SQLAlchemy would quote it (a reserved word, upper case, or
 * characters other than letters, digits, `_` and `$`), so our DDL is byte-identical to daf_butler's.
 * @example quoteSqliteIdentifier("group") // '"group"'
 */
export function quoteSqliteIdentifier(name: string): string {
  const plain = /^[a-z_][a-z0-9_$]*$/.test(name) && !RESERVED_WORDS.has(name);
  return plain ? name : `"${name.replaceAll('"', '""')}"`;
}

/** Strings up to this length stay `VARCHAR(n)` with a length check; longer ones become `TEXT`. */
const MAX_VARCHAR_LENGTH = 32;

/** A column as SQLite stores it: a logical timespan column is two. */
interface PhysicalColumn {
  readonly name: string;
  readonly sqlType: string;
  readonly default: string | undefined;
  readonly nullable: boolean;
  /** Maximum length enforced by a CHECK constraint. */
  readonly checkLength: number | undefined;
}

function sqlType(column: SqlColumn): string {
  switch (column.type) {
    case "string":
      if (column.length === undefined) return "VARCHAR";
      return column.length <= MAX_VARCHAR_LENGTH ? `VARCHAR(${column.length})` : "TEXT";
    case "smallint":
      return "SMALLINT";
    case "int":
      return "INTEGER";
    case "bigint":
      // SQLite numbers rows itself only for a key declared exactly INTEGER.
      return column.autoincrement ? "INTEGER" : "BIGINT";
    case "float":
      return "FLOAT";
    case "bool":
      return "BOOLEAN";
    case "uuid":
      return "CHAR(32)";
    case "text":
    case "hash":
    case "region":
      return "TEXT";
    case "timespan":
      return "BIGINT";
  }
}

function defaultLiteral(value: number | bigint | string): string {
  return typeof value === "string" ? `'${value.replaceAll("'", "''")}'` : String(value);
}

function physicalColumns(column: SqlColumn): PhysicalColumn[] {
  const base = { sqlType: sqlType(column), nullable: column.nullable, checkLength: undefined };
  const value = column.default;
  if (column.type === "timespan") {
    if (value !== undefined && typeof value !== "object") {
      throw new TypeError(`default of timespan column ${column.name} must be a [begin, end] pair`);
    }
    return ["begin", "end"].map((bound, i) => {
      const boundValue = value?.[i];
      return {
        ...base,
        name: `${column.name}_${bound}`,
        default: boundValue === undefined ? undefined : defaultLiteral(boundValue),
      };
    });
  }
  if (typeof value === "object") throw new TypeError(`column ${column.name} cannot default to a pair`);
  const length = column.type === "string" ? column.length : undefined;
  return [
    {
      ...base,
      name: column.name,
      default: value === undefined ? undefined : defaultLiteral(value),
      checkLength: length !== undefined && length <= MAX_VARCHAR_LENGTH ? length : undefined,
    },
  ];
}

/** The physical columns that stand for the logical columns `names` of `spec`. */
function expand(spec: TableSpec, names: readonly string[]): string[] {
  return names.flatMap((name) => {
    const column = spec.columns.find((c) => c.name === name);
    if (column === undefined) throw new TypeError(`table ${spec.name} has no column ${name}`);
    return column.type === "timespan" ? [`${name}_begin`, `${name}_end`] : [name];
  });
}

const list = (names: readonly string[]) => names.map(quoteSqliteIdentifier).join(", ");

/**
 * The indexes daf_butler creates beside a table's constraints, as `[name, columns]`: explicit indexes
 * (and, on SQLite, the index standing in for each exclusion constraint), then one per foreign key that
 * asks for it, skipping any whose columns a primary key, unique constraint or earlier index already covers.
 */
function tableIndexes(spec: TableSpec): [string, string[]][] {
  const covered = new Set([spec.primaryKey, ...spec.unique].map((names) => expand(spec, names).join(",")));
  const indexes: [string, string[]][] = [];
  const add = (kind: string, columns: string[]) => {
    const key = columns.join(",");
    if (covered.has(key)) return;
    covered.add(key);
    indexes.push([`${spec.name}_${kind}_${columns.join("_")}`, columns]);
  };
  for (const names of spec.indexes) add("idx", expand(spec, names));
  for (const exclusion of spec.exclusions) add("idx", expand(spec, [...exclusion.equal, exclusion.overlap]));
  for (const fk of spec.foreignKeys) if (fk.addIndex) add("fkidx", expand(spec, fk.source));
  return indexes;
}

/**
 * SQLite DDL for a table, byte-identical to what daf_butler (through SQLAlchemy) writes: the CREATE TABLE
 * statement, then its CREATE INDEX statements. A timespan column becomes `<name>_begin`/`<name>_end`; a
 * PostgreSQL exclusion constraint becomes a plain index.
 * @example renderSqliteTable(spec).forEach((statement) => db.exec(statement));
 * @throws {TypeError} when the spec names a column it does not have, or gives a default of the wrong shape.
 */
export function renderSqliteTable(spec: TableSpec): string[] {
  const table = quoteSqliteIdentifier(spec.name);
  const columns = spec.columns.flatMap(physicalColumns);
  const lines = columns.map(
    (c) =>
      `${quoteSqliteIdentifier(c.name)} ${c.sqlType}` +
      `${c.default === undefined ? "" : ` DEFAULT ${c.default}`}${c.nullable ? "" : " NOT NULL"}`,
  );
  if (spec.primaryKey.length > 0) lines.push(`PRIMARY KEY (${list(expand(spec, spec.primaryKey))})`);
  for (const c of columns) {
    if (c.checkLength === undefined) continue;
    const quoted = `"${c.name.replaceAll('"', '""')}"`;
    lines.push(
      `CONSTRAINT ${quoteSqliteIdentifier(`${spec.name}_len_${c.name}`)} ` +
        `CHECK (length(${quoted})<=${c.checkLength} AND length(${quoted})>=1)`,
    );
  }
  for (const names of spec.unique) {
    const physical = expand(spec, names);
    lines.push(
      `CONSTRAINT ${quoteSqliteIdentifier(`${spec.name}_unq_${physical.join("_")}`)} UNIQUE (${list(physical)})`,
    );
  }
  for (const fk of spec.foreignKeys) {
    const name = ["fkey", spec.name, fk.table, ...fk.target, ...fk.source].join("_");
    lines.push(
      `CONSTRAINT ${quoteSqliteIdentifier(name)} FOREIGN KEY(${list(fk.source)}) ` +
        `REFERENCES ${quoteSqliteIdentifier(fk.table)} (${list(fk.target)})` +
        (fk.onDelete === undefined ? "" : ` ON DELETE ${fk.onDelete}`),
    );
  }
  return [
    `CREATE TABLE ${table} (\n\t${lines.join(", \n\t")}\n)`,
    ...tableIndexes(spec).map(
      ([name, names]) => `CREATE INDEX ${quoteSqliteIdentifier(name)} ON ${table} (${list(names)})`,
    ),
  ];
}
