/**
 * Dialect-neutral description of a registry table, from which each dialect renders its DDL. Names follow
 * daf_butler's schema exactly (spec §9), so a repository made by either program opens in the other.
 */

/**
 * Logical column types, as daf_butler's `ddl.FieldSpec` has them. `timespan` is one logical column that
 * SQLite stores as `<name>_begin`/`<name>_end` BIGINT pairs and PostgreSQL as one INT8RANGE; `uuid` is
 * CHAR(32) hex on SQLite and native UUID on PostgreSQL; `region` is base64 text; `hash` is base64 bytes.
 */
export type SqlColumnType =
  | "string"
  | "text"
  | "smallint"
  | "int"
  | "bigint"
  | "float"
  | "bool"
  | "uuid"
  | "hash"
  | "region"
  | "timespan";

/** One column of a table. */
export interface SqlColumn {
  readonly name: string;
  readonly type: SqlColumnType;
  /** Maximum length of a `string` column. */
  readonly length?: number;
  /** Size in bytes of a `hash` column. */
  readonly nbytes?: number;
  readonly nullable: boolean;
  /** An integer primary key the database numbers itself. */
  readonly autoincrement?: boolean;
  /** Default value for new rows (for a timespan: the `[begin, end]` TAI ns of the unbounded timespan). */
  readonly default?: number | bigint | string | readonly [begin: bigint, end: bigint];
}

/** A foreign key: `source` columns of this table refer to `target` columns of `table`. */
export interface SqlForeignKey {
  readonly table: string;
  readonly source: readonly string[];
  readonly target: readonly string[];
  readonly onDelete?: "CASCADE" | "SET NULL";
  /** daf_butler adds an index on the source columns of most foreign keys (`<table>_fkidx_<cols>`). */
  readonly addIndex: boolean;
}

/**
 * A PostgreSQL exclusion constraint (calibration validity ranges may not overlap for the same dataset
 * type, collection and data ID); SQLite emulates it inside the transaction that writes.
 */
export interface SqlExclusion {
  /** Columns compared with `=`. */
  readonly equal: readonly string[];
  /** The timespan column compared with `&&` (overlap). */
  readonly overlap: string;
}

/** A table: columns in order, keys, constraints and indexes. */
export interface TableSpec {
  readonly name: string;
  readonly columns: readonly SqlColumn[];
  readonly primaryKey: readonly string[];
  /** UNIQUE constraints (`<table>_unq_<cols>`). */
  readonly unique: readonly (readonly string[])[];
  readonly foreignKeys: readonly SqlForeignKey[];
  /** Extra indexes (`<table>_idx_<cols>`). */
  readonly indexes: readonly (readonly string[])[];
  readonly exclusions: readonly SqlExclusion[];
}
