import { AsyncLocalStorage } from "node:async_hooks";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import { DatabaseError } from "../../../../errors.ts";
import type {
  Database,
  QueryOptions,
  RunResult,
  SqlDialect,
  SqlExecutor,
  SqlRow,
  SqlValue,
} from "../../database.ts";
import { type RetryPolicy, retriedTransaction, withRetries } from "../../transaction-retry.ts";

/** Options of {@link openSqliteDatabase}. */
export interface SqliteOptions {
  /** Open for reading only (no WAL switch, no writes). */
  readonly readOnly?: boolean;
  /** Create the file when it does not exist (only `butler create` does). */
  readonly create?: boolean;
  /** How long a writer waits for another process's lock, in ms (daf_butler: 5 minutes). */
  readonly busyTimeoutMs?: number;
  /**
   * How a transaction is tried again when the database is still busy after the busy timeout (default: 8
   * attempts); only worth changing with a short busy timeout.
   */
  readonly retry?: RetryPolicy;
}

const SQLITE_CODES: Readonly<Record<number, DatabaseError["kind"]>> = {
  5: "busy",
  6: "busy",
  8: "readonly",
  517: "busy",
  2067: "unique",
  1555: "unique",
  787: "foreign-key",
  275: "check",
  1299: "not-null",
};

/** SQLITE_BUSY and SQLITE_LOCKED, with their extended codes: another connection holds a lock. */
function isTransientSqliteError(error: DatabaseError): boolean {
  const errcode = (error.cause as { errcode?: unknown } | undefined)?.errcode;
  return typeof errcode === "number" && ((errcode & 0xff) === 5 || (errcode & 0xff) === 6);
}

/** Turn a node:sqlite error into a {@link DatabaseError} that says what failed. */
function wrap(error: unknown, location: string, sql: string): DatabaseError {
  const errcode = (error as { errcode?: number }).errcode;
  const kind = (errcode !== undefined && SQLITE_CODES[errcode]) || "other";
  const message = error instanceof Error ? error.message : String(error);
  const statement = sql.length > 200 ? `${sql.slice(0, 200)}...` : sql;
  return new DatabaseError(
    `SQLite registry ${location}: ${message} (in: ${statement.replace(/\s+/g, " ")})`,
    kind,
    {
      cause: error,
      hint: kind === "busy" ? "Another process holds the repository's write lock; try again." : undefined,
    },
  );
}

/** Rows per multi-row INSERT statement. */
const ROWS_PER_STATEMENT = 100;
/** Prepared statements kept for reuse per connection (least recently used dropped first). */
const STATEMENT_CACHE_SIZE = 256;
/** Rows per page when streaming a SELECT. */
const PAGE_SIZE = 1000;
/** SQLite's limit on bound parameters per statement (SQLITE_MAX_VARIABLE_NUMBER since 3.32). */
const MAX_PARAMETERS = 32_766;

/** A queue that lets one task at a time hold the connection (node:sqlite has one synchronous connection). */
class ConnectionLock {
  #tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release: () => void = () => {};
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.#tail;
    this.#tail = previous.then(() => next);
    await previous;
    return release;
  }
}

class SqliteExecutor implements SqlExecutor {
  readonly dialect: SqlDialect;
  protected readonly db: DatabaseSync;
  readonly location: string;
  readonly #statements = new Map<string, StatementSync>();
  /** SQL of cached statements whose cursor an iteration holds open. */
  readonly #iterating = new Set<string>();

  constructor(db: DatabaseSync, dialect: SqlDialect, location: string) {
    this.db = db;
    this.dialect = dialect;
    this.location = location;
  }

  #prepare(sql: string): StatementSync {
    try {
      return this.db.prepare(sql);
    } catch (error) {
      throw wrap(error, this.location, sql);
    }
  }

  /** A prepared statement for `sql`: from the cache of recently used ones (preparing costs as much as a small query). */
  protected statement(sql: string): StatementSync {
    if (this.#iterating.has(sql)) return this.#prepare(sql);
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) {
        this.#statements.delete(this.#statements.keys().next().value as string);
      }
    } else {
      // Most recently used last, so the oldest is evicted first.
      this.#statements.delete(sql);
    }
    this.#statements.set(sql, statement);
    return statement;
  }

  queryNow(sql: string, params: readonly SqlValue[], options: QueryOptions): SqlRow[] {
    const statement = this.statement(sql);
    statement.setReadBigInts(options.bigints === true);
    try {
      return statement.all(...(params as SqlValue[])) as SqlRow[];
    } catch (error) {
      throw wrap(error, this.location, sql);
    }
  }

  runNow(sql: string, params: readonly SqlValue[]): RunResult {
    try {
      const result = this.statement(sql).run(...(params as SqlValue[]));
      return { changes: Number(result.changes), lastInsertRowid: result.lastInsertRowid };
    } catch (error) {
      throw wrap(error, this.location, sql);
    }
  }

  runManyNow(sql: string, rows: Iterable<readonly SqlValue[]>): number {
    const statement = this.statement(sql);
    let changes = 0;
    try {
      for (const row of rows) changes += Number(statement.run(...(row as SqlValue[])).changes);
    } catch (error) {
      throw wrap(error, this.location, sql);
    }
    return changes;
  }

  insertRowsNow(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict = "",
  ): number {
    // Up to ROWS_PER_STATEMENT rows per statement: far fewer calls into SQLite than one per row.
    const perStatement = Math.max(
      1,
      Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length))),
    );
    const head = `INSERT INTO ${this.dialect.quote(table)} (${columns.map(this.dialect.quote).join(", ")}) VALUES `;
    const tuple = `(${columns.map(() => "?").join(", ")})`;
    const sqlFor = (count: number) =>
      `${head}${Array(count).fill(tuple).join(", ")}${conflict === "" ? "" : ` ${conflict}`}`;
    let changes = 0;
    let index = 0;
    try {
      while (index < rows.length) {
        const count = Math.min(perStatement, rows.length - index);
        const values: SqlValue[] = [];
        for (let i = index; i < index + count; i++)
          for (const value of rows[i] as readonly SqlValue[]) values.push(value);
        changes += Number(this.statement(sqlFor(count)).run(...values).changes);
        index += count;
      }
    } catch (error) {
      throw wrap(error, this.location, sqlFor(1));
    }
    return changes;
  }

  /** Nothing to do: a write transaction (`BEGIN IMMEDIATE`) already keeps every other writer out. */
  async lockForWrite(_table: string): Promise<void> {}

  execNow(script: string): void {
    try {
      this.db.exec(script);
    } catch (error) {
      throw wrap(error, this.location, script);
    }
  }

  async query(sql: string, params: readonly SqlValue[] = [], options: QueryOptions = {}): Promise<SqlRow[]> {
    return this.queryNow(sql, params, options);
  }

  async *pages(
    sql: string,
    params: readonly SqlValue[] = [],
    options: QueryOptions & { pageSize?: number } = {},
  ): AsyncIterable<SqlRow[]> {
    // The cached statement, unless another iteration holds its cursor (then `statement` prepares a fresh one).
    const shared = !this.#iterating.has(sql);
    const statement = this.statement(sql);
    if (shared) this.#iterating.add(sql);
    try {
      statement.setReadBigInts(options.bigints === true);
      const pageSize = options.pageSize ?? PAGE_SIZE;
      let rows: Iterator<unknown>;
      try {
        rows = statement.iterate(...(params as SqlValue[]));
      } catch (error) {
        throw wrap(error, this.location, sql);
      }
      for (let done = false; !done; ) {
        const page: SqlRow[] = [];
        try {
          while (page.length < pageSize) {
            const next = rows.next();
            if (next.done === true) {
              done = true;
              break;
            }
            page.push(next.value as SqlRow);
          }
        } catch (error) {
          throw wrap(error, this.location, sql);
        }
        if (page.length > 0) yield page;
      }
    } finally {
      if (shared) this.#iterating.delete(sql);
    }
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return this.runNow(sql, params);
  }

  async runMany(sql: string, rows: Iterable<readonly SqlValue[]>): Promise<number> {
    return this.runManyNow(sql, rows);
  }

  async exec(script: string): Promise<void> {
    this.execNow(script);
  }

  async insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict?: string,
  ): Promise<number> {
    return this.insertRowsNow(table, columns, rows, conflict);
  }
}

interface TransactionState {
  readonly owner: SqliteDatabase;
  depth: number;
  /** What to undo in memory if this transaction rolls back. */
  readonly onRollback: (() => void)[];
}

/**
 * A registry database in one SQLite file through the built-in `node:sqlite`: WAL journal, foreign keys
 * on, a busy timeout for other processes, and write transactions that take the write lock up front
 * (`BEGIN IMMEDIATE`) so two processes writing the same repository queue instead of failing.
 */
class SqliteDatabase extends SqliteExecutor implements Database {
  readonly writeable: boolean;
  readonly #lock = new ConnectionLock();
  readonly #context = new AsyncLocalStorage<TransactionState>();
  readonly #retry: RetryPolicy;
  #closed = false;

  constructor(
    db: DatabaseSync,
    dialect: SqlDialect,
    location: string,
    writeable: boolean,
    retry: RetryPolicy,
  ) {
    super(db, dialect, location);
    this.writeable = writeable;
    this.#retry = retry;
  }

  #inTransaction(): TransactionState | undefined {
    const state = this.#context.getStore();
    return state?.owner === this ? state : undefined;
  }

  /**
   * Run `work` holding the connection. Outside a transaction `work` is one statement, which SQLite runs
   * as a transaction of its own: when another process keeps the database busy, it is simply run again.
   * Its other errors keep their {@link DatabaseError} kind (only transactions turn conflicts into typed errors).
   */
  async #outside<T>(work: () => T): Promise<T> {
    if (this.#closed) throw new DatabaseError(`SQLite registry ${this.location} is closed`, "other");
    if (this.#inTransaction()) return work();
    const once = async () => {
      const release = await this.#lock.acquire();
      try {
        return work();
      } finally {
        release();
      }
    };
    return withRetries(once, isTransientSqliteError, this.location, this.#retry);
  }

  override query(
    sql: string,
    params: readonly SqlValue[] = [],
    options: QueryOptions = {},
  ): Promise<SqlRow[]> {
    return this.#outside(() => this.queryNow(sql, params, options));
  }

  override run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return this.#outside(() => this.runNow(sql, params));
  }

  override runMany(sql: string, rows: Iterable<readonly SqlValue[]>): Promise<number> {
    // Several statements: all or nothing, in a transaction of their own when not in one already.
    if (!this.#inTransaction() && this.writeable) {
      const list = [...rows];
      return this.transaction(() => Promise.resolve(this.runManyNow(sql, list)));
    }
    return this.#outside(() => this.runManyNow(sql, rows));
  }

  override async exec(script: string): Promise<void> {
    // A script may be several statements, which a retry would repeat: it is not retried.
    if (this.#closed) throw new DatabaseError(`SQLite registry ${this.location} is closed`, "other");
    if (this.#inTransaction()) return this.execNow(script);
    const release = await this.#lock.acquire();
    try {
      this.execNow(script);
    } finally {
      release();
    }
  }

  override insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict?: string,
  ): Promise<number> {
    if (!this.#inTransaction() && this.writeable && rows.length > 0) {
      return this.transaction(() => Promise.resolve(this.insertRowsNow(table, columns, rows, conflict)));
    }
    return this.#outside(() => this.insertRowsNow(table, columns, rows, conflict));
  }

  async transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (!this.writeable) {
      throw new DatabaseError(`SQLite registry ${this.location} is open read-only`, "readonly", {
        hint: "Open the repository as writeable to change it.",
      });
    }
    const state = this.#inTransaction();
    if (state !== undefined) return this.#savepoint(state, body);
    return retriedTransaction(() => this.#attempt(body), isTransientSqliteError, this.location, this.#retry);
  }

  onRollback(action: () => void): void {
    this.#inTransaction()?.onRollback.push(action);
  }

  /**
   * One try of an outermost transaction. The write lock is taken up front, so another process can only
   * make it fail at BEGIN (busy after the timeout), before the body runs; the lock is given back between
   * tries so other work on this connection proceeds during the backoff.
   */
  async #attempt<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (this.#closed) throw new DatabaseError(`SQLite registry ${this.location} is closed`, "other");
    const release = await this.#lock.acquire();
    const state: TransactionState = { owner: this, depth: 0, onRollback: [] };
    try {
      this.execNow("BEGIN IMMEDIATE");
      try {
        const result = await this.#context.run(state, () => body(this));
        this.execNow("COMMIT");
        return result;
      } catch (error) {
        if (this.db.isTransaction) this.execNow("ROLLBACK");
        for (const action of state.onRollback.splice(0).reverse()) action();
        throw error;
      }
    } finally {
      release();
    }
  }

  async #savepoint<T>(state: TransactionState, body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    state.depth += 1;
    const name = `sp_${state.depth}`;
    this.execNow(`SAVEPOINT ${name}`);
    try {
      const result = await body(this);
      this.execNow(`RELEASE ${name}`);
      return result;
    } catch (error) {
      this.execNow(`ROLLBACK TO ${name}`);
      this.execNow(`RELEASE ${name}`);
      throw error;
    } finally {
      state.depth -= 1;
    }
  }

  async close(): Promise<void> {
    const release = await this.#lock.acquire();
    try {
      if (!this.#closed) this.db.close();
      this.#closed = true;
    } finally {
      release();
    }
  }
}

/**
 * Open (or with `create`, create) a SQLite registry file.
 * @throws {DatabaseError} when the file is missing, unreadable or not a database.
 */
export async function openSqliteDatabase(
  path: string,
  dialect: SqlDialect,
  options: SqliteOptions = {},
): Promise<Database> {
  const { DatabaseSync } = await import("node:sqlite");
  const { existsSync } = await import("node:fs");
  if (!options.create && path !== ":memory:" && !existsSync(path)) {
    throw new DatabaseError(`SQLite registry ${path} does not exist`, "other", {
      hint: "Check the repository path, or create a repository with `butler create`.",
    });
  }
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path, {
      readOnly: options.readOnly === true,
      enableForeignKeyConstraints: true,
      timeout: options.busyTimeoutMs ?? 300_000,
    });
    if (!options.readOnly && path !== ":memory:") {
      db.exec("PRAGMA journal_mode = WAL");
      // In WAL mode NORMAL never corrupts the database and keeps every commit across a process crash; only
      // a power loss may drop the last commits (their artifacts then show as orphans in fsck). FULL would
      // fsync the WAL at every commit, which made each single put wait about a millisecond on the disk.
      db.exec("PRAGMA synchronous = NORMAL");
    }
    // A larger page cache keeps the indexes of big dataset tables in memory during bulk inserts.
    db.exec("PRAGMA cache_size = -65536");
    db.prepare("SELECT count(*) FROM sqlite_master").get();
  } catch (error) {
    throw wrap(error, path, "open");
  }
  return new SqliteDatabase(db, dialect, path, options.readOnly !== true, options.retry ?? {});
}
