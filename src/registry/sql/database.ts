import type { Timespan } from "../../time/timespan.ts";
import type { TableSpec } from "./table-spec.ts";

/** A value bound to, or read from, SQL. Integers too large for a number (TAI ns) are bigints. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** A result row by column name. */
export type SqlRow = Record<string, SqlValue>;

/** Options of a query. */
export interface QueryOptions {
  /** Read integer columns as bigint (for TAI-nanosecond columns beyond 2^53). */
  readonly bigints?: boolean;
}

/** The outcome of a statement that writes. */
export interface RunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

/** What differs between SQL databases, as small hooks; everything else is shared code. */
export interface SqlDialect {
  readonly name: "sqlite" | "postgresql";
  /** The identifier, quoted where the database needs it. */
  quote(identifier: string): string;
  /** Placeholder for the `index`-th (1-based) bound parameter. */
  placeholder(index: number): string;
  /** CREATE TABLE and CREATE INDEX statements for a table. */
  renderTable(spec: TableSpec): string[];
  /** The SQL columns that store logical timespan column `name` (two on SQLite, one on PostgreSQL). */
  timespanColumns(name: string): readonly string[];
  /** Values of those columns for a timespan (all null for none). */
  encodeTimespan(timespan: Timespan | null): SqlValue[];
  /** The timespan stored in those columns of `row` (read with bigints), or null. */
  decodeTimespan(row: SqlRow, name: string): Timespan | null;
  /** SQL condition that the timespan column `name` overlaps the timespan bound at `encodeTimespan`'s placeholders. */
  timespanOverlaps(qualifiedName: string, firstPlaceholder: number): string;
  /**
   * The SQL value of a new autoincrement key `column` of `table`, or null when the column is left out and
   * the database numbers it (SQLite); PostgreSQL calls daf_butler's `<table>_seq_<column>` sequence.
   */
  nextId(table: string, column: string): string | null;
  /**
   * The ends of timespan column `name` of table alias `alias` as TAI-ns SQL expressions (unbounded sides as
   * the TAI limits, null for a null timespan), so one compiler compares timespans on either storage.
   */
  timespanBounds(alias: string, name: string): { readonly begin: string; readonly end: string };
  /** What precedes OFFSET in a query without a limit (SQLite needs ` LIMIT -1`; PostgreSQL nothing). */
  readonly noLimit: string;
  /** An expression of the dataset UUID `expr` that MIN and MAX accept (PostgreSQL has no min(uuid)). */
  uuidAggregateOperand(expr: string): string;
  /**
   * A bound parameter with its type made explicit where the SQL around it gives none: a value in a select
   * list, an operand of arithmetic, a float compared with an integer column. SQLite takes parameters as
   * they come; PostgreSQL would read a select-list value as text and refuses "1.5" for a BIGINT.
   */
  typedParameter(placeholder: string, type: "bigint" | "float"): string;
  /** The SQL type of a double-precision float, for casts (SQLite's REAL is PostgreSQL's float4). */
  readonly floatType: string;
  /** How a dataset UUID is stored (32 hex digits on SQLite, native on PostgreSQL). */
  encodeUuid(uuid: string): SqlValue;
  /** The canonical UUID string of a stored value. */
  decodeUuid(value: SqlValue): string;
  /** How a boolean is stored. */
  encodeBool(value: boolean): SqlValue;
  /** A query with one parameter (a table name) that returns a row when that table exists. */
  readonly tableExistsQuery: string;
  /**
   * SQL matching `column` against a pattern where `*` is any run and `?` one character, everything else
   * literal (daf_butler's GLOB); returns the condition and its parameters.
   */
  glob(column: string, pattern: string): { sql: string; params: SqlValue[] };
}

/** Runs SQL on one connection: the database itself, or a transaction in progress. */
export interface SqlExecutor {
  readonly dialect: SqlDialect;
  /** Rows of a SELECT. */
  query(sql: string, params?: readonly SqlValue[], options?: QueryOptions): Promise<SqlRow[]>;
  /** Rows of a SELECT in pages of up to `pageSize` rows (default 1000): the whole result is never held in memory. */
  pages(
    sql: string,
    params?: readonly SqlValue[],
    options?: QueryOptions & { pageSize?: number },
  ): AsyncIterable<SqlRow[]>;
  /** One statement that writes. */
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
  /** One prepared statement run for each parameter row; returns the total number of changed rows. */
  runMany(sql: string, rows: Iterable<readonly SqlValue[]>): Promise<number>;
  /**
   * Insert many rows into one table with multi-row INSERT statements (identifiers quoted here);
   * `conflict` is appended to each statement (`ON CONFLICT DO NOTHING`). Returns the rows inserted.
   */
  insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict?: string,
  ): Promise<number>;
  /** A script of statements without parameters (DDL). */
  exec(script: string): Promise<void>;
  /**
   * Keep other transactions from writing `table` until the transaction in progress ends (they wait),
   * so a check made by reading it stays true until this transaction writes: no two writers both see
   * "no overlap" and both insert. SQLite's write transactions already hold the whole database.
   */
  lockForWrite(table: string): Promise<void>;
}

/**
 * A connection to a registry database. Writes happen in {@link Database.transaction}: all or nothing,
 * serialized with other writers (`BEGIN IMMEDIATE` on SQLite); a nested call becomes a savepoint. Calls
 * made on the Database itself from inside a transaction's body (in the same async flow) run in that
 * transaction, so code that writes does not need to pass the transaction around.
 *
 * A transaction that loses to another writer (a PostgreSQL deadlock or serialization failure, a SQLite
 * database still busy after its timeout) is rolled back and run again, body and all, after a jittered
 * backoff, a bounded number of times. A unique or exclusion constraint the database refuses reaches the
 * caller of the outermost transaction as a {@link ConflictingDefinitionError}, never as a driver error.
 */
export interface Database extends SqlExecutor {
  /** Where the database lives, for messages (never includes a password). */
  readonly location: string;
  /** Whether writes are allowed. */
  readonly writeable: boolean;
  /**
   * Run `body` in a write transaction: committed when it resolves, rolled back when it throws. The
   * outermost body may run more than once (see above): what it keeps outside the database must be
   * undone with {@link Database.onRollback}.
   * @throws {ConflictingDefinitionError} when a unique or exclusion constraint refused a row.
   * @throws {DatabaseError} of kind `busy` when the transaction lost to other writers at every attempt.
   * @throws whatever else `body` throws, after rolling back.
   */
  transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  /**
   * Run `action` if the transaction in progress rolls back (also before it is tried again): for caches
   * of what it wrote. Outside a transaction nothing can roll back, and `action` is dropped.
   */
  onRollback(action: () => void): void;
  /** Close the connection; later calls fail. */
  close(): Promise<void>;
}
