import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { defaultUniverse } from "../../src/dimensions/default-universe.ts";
import type { Registry } from "../../src/registry/registry.ts";
import type { SqlValue } from "../../src/registry/sql/database.ts";
import { openPostgresDatabase } from "../../src/registry/sql/dialects/postgres/postgres-database.ts";
import { postgresDialect } from "../../src/registry/sql/dialects/postgres/postgres-dialect.ts";
import { openSqliteDatabase } from "../../src/registry/sql/dialects/sqlite/sqlite-database.ts";
import { sqliteDialect } from "../../src/registry/sql/dialects/sqlite/sqlite-dialect.ts";
import { createSqlRegistry } from "../../src/registry/sql/sql-registry.ts";
import {
  type PostgresCluster,
  postgresUnavailableReason,
  startPostgresCluster,
} from "../../test/support/postgres-cluster.ts";
import { freshPath } from "./visit-detector-repository.ts";

/** The driver itself on the same database as a registry: the raw floor of the dialect benchmarks. */
export interface RawSql {
  /** Run statements (no parameters). */
  exec(sql: string): Promise<void>;
  /** Rows of a query with `?`-free SQL and `$N`/`?` parameters as the driver takes them. */
  query(sql: string, params?: readonly SqlValue[]): Promise<Record<string, unknown>[]>;
  /** Rows of a query, read a page at a time; returns how many. */
  stream(sql: string, params: readonly SqlValue[]): Promise<number>;
  close(): Promise<void>;
}

/** A fresh, empty registry on one dialect with its raw driver beside it. */
export interface DialectRepository {
  readonly registry: Registry;
  readonly raw: RawSql;
  /** Where it is, as `test/support/concurrent-writer.ts` takes it. */
  readonly spec: string;
  /** A SQL literal of a value, as this database writes it. */
  literal(value: SqlValue): string;
  /** Placeholder of the `index`-th parameter. */
  placeholder(index: number): string;
}

/** One of the two databases the benchmarks compare. */
export interface BenchDialect {
  readonly name: "sqlite" | "postgresql";
  fresh(): Promise<DialectRepository>;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

function sqliteLiteral(value: SqlValue): string {
  if (value === null) return "NULL";
  if (value instanceof Uint8Array) return `X'${hex(value)}'`;
  return typeof value === "string" ? text(value) : String(value);
}

function postgresLiteral(value: SqlValue): string {
  if (value === null) return "NULL";
  if (value instanceof Uint8Array) return `'\\x${hex(value)}'::bytea`;
  // Quoted, a literal takes its column's type, as a bound parameter does (booleans come as 1/0).
  return text(String(value));
}

export const sqliteBench: BenchDialect = {
  name: "sqlite",
  async fresh() {
    const file = join(freshPath(), "gen3.sqlite3");
    const { mkdirSync } = await import("node:fs");
    mkdirSync(join(file, ".."), { recursive: true });
    const registry = await createSqlRegistry(
      await openSqliteDatabase(file, sqliteDialect, { create: true }),
      defaultUniverse(),
    );
    const db = new DatabaseSync(file, { timeout: 60_000 });
    db.exec("PRAGMA synchronous = NORMAL");
    const raw: RawSql = {
      exec: async (sql) => db.exec(sql),
      query: async (sql, params = []) => db.prepare(sql).all(...(params as never[])),
      stream: async (sql, params) => {
        let count = 0;
        for (const _ of db.prepare(sql).iterate(...(params as never[]))) count++;
        return count;
      },
      close: async () => db.close(),
    };
    return {
      registry,
      raw,
      spec: `sqlite:${file}`,
      literal: sqliteLiteral,
      placeholder: () => "?",
    };
  },
};

let cluster: Promise<PostgresCluster> | undefined;
let namespaces = 0;
/** Every repository made on the cluster, closed before it stops (a server stopping under open clients kills the process). */
const opened: DialectRepository[] = [];

/** Stop the benchmarks' PostgreSQL cluster, if one was started, and remove its files. */
export async function stopBenchCluster(): Promise<void> {
  const started = cluster;
  cluster = undefined;
  for (const repo of opened.splice(0)) {
    // Some were closed already by the benchmark that replaced them; closing again only says so.
    await repo.registry.close().catch(() => undefined);
    await repo.raw.close().catch(() => undefined);
  }
  if (started !== undefined) await (await started).stop();
}

/** PostgreSQL 15 in a throwaway cluster (started once per benchmark process), a schema per repository. */
export const postgresBench: BenchDialect = {
  name: "postgresql",
  async fresh() {
    cluster ??= startPostgresCluster().then(async (started) => {
      await started.psql("-c", "CREATE EXTENSION btree_gist");
      return started;
    });
    const { url } = await cluster;
    const namespace = `bench${++namespaces}`;
    const registry = await createSqlRegistry(
      await openPostgresDatabase(url, postgresDialect, { namespace, create: true }),
      defaultUniverse(),
    );
    const client = new pg.Client({ connectionString: url, options: `-c search_path=${namespace},public` });
    await client.connect();
    const raw: RawSql = {
      exec: async (sql) => {
        await client.query(sql);
      },
      query: async (sql, params = []) =>
        (
          await client.query({
            text: sql,
            values: params.map((v) => (typeof v === "bigint" ? String(v) : v)),
          })
        ).rows,
      stream: async (sql, params) => {
        await client.query("BEGIN READ ONLY");
        await client.query({ text: `DECLARE raw_cursor NO SCROLL CURSOR FOR ${sql}`, values: [...params] });
        let count = 0;
        for (;;) {
          const page = await client.query("FETCH FORWARD 1000 FROM raw_cursor");
          count += page.rows.length;
          if (page.rows.length < 1000) break;
        }
        await client.query("COMMIT");
        return count;
      },
      close: () => client.end(),
    };
    const repo: DialectRepository = {
      registry,
      raw,
      spec: `postgresql:${url}#${namespace}`,
      literal: postgresLiteral,
      placeholder: (index) => `$${index}`,
    };
    opened.push(repo);
    return repo;
  },
};

/** The dialects to compare here: PostgreSQL only where its binaries are installed. */
export function benchDialects(): BenchDialect[] {
  const reason = postgresUnavailableReason();
  if (reason !== undefined) console.log(`(PostgreSQL figures skipped: ${reason})`);
  return reason === undefined ? [sqliteBench, postgresBench] : [sqliteBench];
}
