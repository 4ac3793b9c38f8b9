import { AsyncLocalStorage } from "node:async_hooks";
import type { CustomTypesConfig, Pool, PoolClient } from "pg";
import { DatabaseError, MissingDependencyError } from "../../../../errors.ts";
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
import {
  connectionError,
  isTransientPostgresError,
  redactPostgresUrl,
  wrapPostgresError,
} from "./postgres-errors.ts";

/** Options of {@link openPostgresDatabase}. */
export interface PostgresOptions {
  /** The PostgreSQL schema holding this repository's tables (daf_butler's `registry.namespace`); default `public`. */
  readonly namespace?: string;
  /** Create the namespace when it does not exist (only `butler create` does). */
  readonly create?: boolean;
  /** Open for reading only: every session is `default_transaction_read_only`. */
  readonly readOnly?: boolean;
  /** Connections kept open at most (default 10). */
  readonly poolSize?: number;
  /** Longest a statement may run, in ms, before the server cancels it (default: no limit). */
  readonly statementTimeoutMs?: number;
  /** How a transaction that deadlocked or failed to serialize is run again (default: 8 attempts). */
  readonly retry?: RetryPolicy;
}

type PgModule = typeof import("pg").default;

/** Rows per multi-row INSERT statement. */
const ROWS_PER_STATEMENT = 500;
/** PostgreSQL's limit on bound parameters per statement (a 16-bit count in the wire protocol). */
const MAX_PARAMETERS = 65_535;
/** Rows per page when streaming a SELECT. */
const PAGE_SIZE = 1000;

/** Type OIDs of the results we parse ourselves (`SELECT oid, typname FROM pg_type`). */
const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  numeric: 1700,
  date: 1082,
  time: 1083,
  timestamp: 1114,
  timestamptz: 1184,
};

async function loadPg(): Promise<PgModule> {
  try {
    return (await import("pg")).default;
  } catch (error) {
    throw new MissingDependencyError('A PostgreSQL registry needs the "pg" package, which is not installed', {
      cause: error,
      hint: 'Run "npm install pg".',
    });
  }
}

/**
 * How result columns become {@link SqlValue}s, as node:sqlite gives them: integers as numbers (bigints
 * with `bigints`, or when an INT8 is beyond 2^53), NUMERIC (what SUM of BIGINTs gives) as an integer when
 * it is one and a number otherwise, booleans as 1/0, times as the server's text.
 */
function resultTypes(pg: PgModule, bigints: boolean): CustomTypesConfig {
  const integer = (text: string): number | bigint => {
    const value = BigInt(text);
    return bigints || value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER
      ? value
      : Number(value);
  };
  const raw = (text: string) => text;
  return {
    getTypeParser: ((oid: number, format?: "text" | "binary") => {
      if (oid === OID.int8 || (bigints && (oid === OID.int2 || oid === OID.int4))) return integer;
      if (oid === OID.numeric) return (text: string) => (/^-?\d+$/.test(text) ? integer(text) : Number(text));
      if (oid === OID.bool) return (text: string) => (text === "t" ? 1 : 0);
      if (oid === OID.date || oid === OID.time || oid === OID.timestamp || oid === OID.timestamptz)
        return raw;
      return pg.types.getTypeParser(oid, format ?? "text");
    }) as CustomTypesConfig["getTypeParser"],
  };
}

/** A bound value as `pg` sends it: bigints as decimal text, byte arrays as Buffers (BYTEA). */
function toPg(value: SqlValue): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
    return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return value;
}

interface TransactionState {
  readonly owner: PostgresDatabase;
  readonly client: PoolClient;
  depth: number;
  /** What to undo in memory if this transaction rolls back. */
  readonly onRollback: (() => void)[];
}

/**
 * A registry database on a PostgreSQL server through `pg`. A pool of connections, so reads (and streamed
 * pages) run beside a write transaction instead of queueing behind it; a transaction pins one connection,
 * and calls on the Database from inside its body (same async flow) run on that connection. Every
 * connection's `search_path` is the repository's namespace (then `public`, where `btree_gist` lives).
 */
class PostgresDatabase implements Database {
  readonly dialect: SqlDialect;
  readonly location: string;
  readonly writeable: boolean;
  readonly #pg: PgModule;
  readonly #pool: Pool;
  readonly #context = new AsyncLocalStorage<TransactionState>();
  /** Names of prepared statements by SQL text (`pg` prepares a named statement once per connection). */
  readonly #statementNames = new Map<string, string>();
  readonly #retry: RetryPolicy;
  #cursors = 0;
  #closed = false;

  constructor(
    pg: PgModule,
    pool: Pool,
    dialect: SqlDialect,
    location: string,
    writeable: boolean,
    retry: RetryPolicy,
  ) {
    this.#pg = pg;
    this.#pool = pool;
    this.dialect = dialect;
    this.location = location;
    this.writeable = writeable;
    this.#retry = retry;
  }

  #transaction(): TransactionState | undefined {
    const state = this.#context.getStore();
    return state?.owner === this ? state : undefined;
  }

  /** A connection for one piece of work: the transaction's, or one from the pool until `release`. */
  async #acquire(): Promise<{ client: PoolClient; release: () => void; inTransaction: boolean }> {
    if (this.#closed) throw new DatabaseError(`PostgreSQL registry ${this.location} is closed`, "other");
    const state = this.#transaction();
    if (state !== undefined) return { client: state.client, release: () => {}, inTransaction: true };
    let client: PoolClient;
    try {
      client = await this.#pool.connect();
    } catch (error) {
      throw connectionError(error, this.location);
    }
    return { client, release: () => client.release(), inTransaction: false };
  }

  /**
   * Run `work` on a connection. Outside a transaction it is one statement (or one simple-query script,
   * which the server runs as one implicit transaction), so it is retried like a transaction; its other
   * errors keep their {@link DatabaseError} kind (only transactions turn conflicts into typed errors).
   */
  async #with<T>(sql: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    const once = async () => {
      const { client, release } = await this.#acquire();
      try {
        return await work(client);
      } catch (error) {
        throw error instanceof DatabaseError ? error : wrapPostgresError(error, this.location, sql);
      } finally {
        release();
      }
    };
    if (this.#transaction() !== undefined) return once();
    return withRetries(once, isTransientPostgresError, this.location, this.#retry);
  }

  async query(sql: string, params: readonly SqlValue[] = [], options: QueryOptions = {}): Promise<SqlRow[]> {
    const types = resultTypes(this.#pg, options.bigints === true);
    return this.#with(sql, async (client) => {
      const result = await client.query({ text: sql, values: params.map(toPg), types });
      return result.rows as SqlRow[];
    });
  }

  /** Streams through a server-side cursor (inside a transaction, as cursors must be), FETCHing a page at a time. */
  async *pages(
    sql: string,
    params: readonly SqlValue[] = [],
    options: QueryOptions & { pageSize?: number } = {},
  ): AsyncIterable<SqlRow[]> {
    const types = resultTypes(this.#pg, options.bigints === true);
    const pageSize = Math.max(1, Math.floor(options.pageSize ?? PAGE_SIZE));
    const cursor = `butler_cursor_${++this.#cursors}`;
    const { client, release, inTransaction } = await this.#acquire();
    let failed = false;
    const step = async <T>(text: string, work: () => Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        failed = true;
        throw wrapPostgresError(error, this.location, text);
      }
    };
    try {
      if (!inTransaction) await step("BEGIN READ ONLY", () => client.query("BEGIN READ ONLY"));
      const declare = `DECLARE ${cursor} NO SCROLL CURSOR FOR ${sql}`;
      await step(sql, () => client.query({ text: declare, values: params.map(toPg) }));
      for (;;) {
        const fetch = `FETCH FORWARD ${pageSize} FROM ${cursor}`;
        const result = await step(sql, () => client.query({ text: fetch, types }));
        if (result.rows.length > 0) yield result.rows as SqlRow[];
        if (result.rows.length < pageSize) break;
      }
    } finally {
      try {
        // A failed statement already aborted the transaction; the caller's transaction rolls back as a whole.
        if (!failed) await client.query(`CLOSE ${cursor}`);
        if (!inTransaction) await client.query(failed ? "ROLLBACK" : "COMMIT");
      } finally {
        release();
      }
    }
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
    return this.#with(sql, async (client) => {
      const result = await client.query({ text: sql, values: params.map(toPg), rowMode: "array" });
      // PostgreSQL has no last-insert rowid: a statement with `RETURNING id` reports its first value.
      const first = (result.rows[0] as unknown[] | undefined)?.[0];
      const id = typeof first === "number" || typeof first === "bigint" ? first : Number(first ?? 0);
      return { changes: result.rowCount ?? 0, lastInsertRowid: id };
    });
  }

  async runMany(sql: string, rows: Iterable<readonly SqlValue[]>): Promise<number> {
    // Several statements: all or nothing, in a transaction of their own when not in one already.
    if (this.#transaction() === undefined && this.writeable) {
      const list = [...rows];
      return this.transaction(() => this.runMany(sql, list));
    }
    let name = this.#statementNames.get(sql);
    if (name === undefined) {
      name = `butler_stmt_${this.#statementNames.size + 1}`;
      this.#statementNames.set(sql, name);
    }
    const statement = name;
    return this.#with(sql, async (client) => {
      let changes = 0;
      for (const row of rows) {
        changes += (await client.query({ name: statement, text: sql, values: row.map(toPg) })).rowCount ?? 0;
      }
      return changes;
    });
  }

  async insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly SqlValue[])[],
    conflict = "",
  ): Promise<number> {
    if (this.#transaction() === undefined && this.writeable && rows.length > 0) {
      return this.transaction(() => this.insertRows(table, columns, rows, conflict));
    }
    const perStatement = Math.max(
      1,
      Math.min(ROWS_PER_STATEMENT, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length))),
    );
    const { quote } = this.dialect;
    const head = `INSERT INTO ${quote(table)} (${columns.map(quote).join(", ")}) VALUES `;
    const sqlFor = (count: number) => {
      const tuples: string[] = [];
      for (let row = 0; row < count; row++) {
        tuples.push(`(${columns.map((_, column) => `$${row * columns.length + column + 1}`).join(", ")})`);
      }
      return `${head}${tuples.join(", ")}${conflict === "" ? "" : ` ${conflict}`}`;
    };
    return this.#with(sqlFor(1), async (client) => {
      let changes = 0;
      for (let index = 0; index < rows.length; index += perStatement) {
        const chunk = rows.slice(index, index + perStatement);
        const values = chunk.flatMap((row) => row.map(toPg));
        changes += (await client.query({ text: sqlFor(chunk.length), values })).rowCount ?? 0;
      }
      return changes;
    });
  }

  async lockForWrite(table: string): Promise<void> {
    // EXCLUSIVE lets plain reads through and makes every other writer of the table wait.
    if (this.#transaction() !== undefined)
      await this.exec(`LOCK TABLE ${this.dialect.quote(table)} IN EXCLUSIVE MODE`);
  }

  async exec(script: string): Promise<void> {
    // Without parameters `pg` uses the simple query protocol, which runs several statements.
    await this.#with(script, (client) => client.query(script));
  }

  async transaction<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    if (!this.writeable) {
      throw new DatabaseError(`PostgreSQL registry ${this.location} is open read-only`, "readonly", {
        hint: "Open the repository as writeable to change it.",
      });
    }
    const current = this.#transaction();
    if (current !== undefined) return this.#savepoint(current, body);
    return retriedTransaction(
      () => this.#attempt(body),
      isTransientPostgresError,
      this.location,
      this.#retry,
    );
  }

  onRollback(action: () => void): void {
    this.#transaction()?.onRollback.push(action);
  }

  /** One try of an outermost transaction: BEGIN, the body, COMMIT; on failure ROLLBACK and its undo actions. */
  async #attempt<T>(body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    const { client, release } = await this.#acquire();
    const state: TransactionState = { owner: this, client, depth: 0, onRollback: [] };
    let broken: unknown;
    try {
      await this.#control(client, "BEGIN");
      try {
        const result = await this.#context.run(state, () => body(this));
        // COMMIT itself may fail (a serializable transaction's conflict shows there): that too rolls back.
        await this.#control(client, "COMMIT");
        return result;
      } catch (error) {
        await this.#control(client, "ROLLBACK").catch((rollbackError: unknown) => {
          broken = rollbackError;
        });
        for (const action of state.onRollback.splice(0).reverse()) action();
        throw error;
      }
    } finally {
      // A connection whose ROLLBACK failed is in an unknown state: drop it rather than reuse it.
      if (broken === undefined) release();
      else client.release(true);
    }
  }

  async #control(client: PoolClient, sql: string): Promise<void> {
    try {
      await client.query(sql);
    } catch (error) {
      throw wrapPostgresError(error, this.location, sql);
    }
  }

  async #savepoint<T>(state: TransactionState, body: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    state.depth += 1;
    const name = `sp_${state.depth}`;
    await this.#control(state.client, `SAVEPOINT ${name}`);
    try {
      const result = await body(this);
      await this.#control(state.client, `RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await this.#control(state.client, `ROLLBACK TO SAVEPOINT ${name}`);
      await this.#control(state.client, `RELEASE SAVEPOINT ${name}`);
      throw error;
    } finally {
      state.depth -= 1;
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}

/** A `-c name=value` server option, with the spaces and backslashes of `value` escaped for the startup packet. */
function serverOption(name: string, value: string): string {
  return `-c ${name}=${value.replace(/[\\ ]/g, (c) => `\\${c}`)}`;
}

/**
 * Connect to a PostgreSQL registry: `url` is a `postgresql://` URL (a Unix socket directory goes in
 * `?host=/path`); the repository's tables live in schema `namespace`.
 * @example const db = await openPostgresDatabase("postgresql://butler@/repos?host=/run/postgresql", postgresDialect, { namespace: "main" });
 * @throws {MissingDependencyError} when the `pg` package is not installed.
 * @throws {DatabaseError} when the server cannot be reached, the database or the namespace does not exist
 *   (the message names the URL, without its password).
 */
export async function openPostgresDatabase(
  url: string,
  dialect: SqlDialect,
  options: PostgresOptions = {},
): Promise<Database> {
  const pg = await loadPg();
  const namespace = options.namespace;
  const location = `${redactPostgresUrl(url)}${namespace === undefined ? "" : ` (schema "${namespace}")`}`;
  const settings: string[] = [];
  if (namespace !== undefined) {
    settings.push(serverOption("search_path", `${dialect.quote(namespace)},public`));
  }
  if (options.readOnly === true) settings.push(serverOption("default_transaction_read_only", "on"));
  if (options.statementTimeoutMs !== undefined) {
    settings.push(serverOption("statement_timeout", String(Math.floor(options.statementTimeoutMs))));
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(settings.length > 0 ? { options: settings.join(" ") } : {}),
  });
  // An idle connection the server drops emits here; without a listener the process would crash.
  // The next query on the pool then connects afresh, or reports the failure itself.
  pool.on("error", () => {});
  let client: PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    await pool.end();
    throw connectionError(error, location);
  }
  try {
    if (namespace !== undefined) {
      const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [namespace]);
      if (exists.rowCount === 0 && options.create === true) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${dialect.quote(namespace)}`);
      } else if (exists.rowCount === 0) {
        throw new DatabaseError(
          `PostgreSQL registry ${location}: schema "${namespace}" does not exist`,
          "other",
          {
            hint: "Check the repository's registry.namespace, or create a repository with `butler create`.",
          },
        );
      }
    }
  } catch (error) {
    client.release();
    await pool.end();
    throw error instanceof DatabaseError ? error : wrapPostgresError(error, location, "open");
  }
  client.release();
  return new PostgresDatabase(pg, pool, dialect, location, options.readOnly !== true, options.retry ?? {});
}
