import { execFile, execFileSync } from "node:child_process";
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** Where Debian installs the PostgreSQL 15 server binaries (`$BUTLER_POSTGRES_BIN` elsewhere). */
export const POSTGRES_BIN = process.env.BUTLER_POSTGRES_BIN ?? "/usr/lib/postgresql/15/bin";

/** The unprivileged system user that owns the cluster when tests run as root (initdb refuses root). */
const CLUSTER_USER = "postgres";

/** A throwaway PostgreSQL cluster listening only on a Unix socket in its own temp dir. */
export interface PostgresCluster {
  /** Connection URL of the test database, e.g. `postgresql://postgres@/butler?host=/tmp/pg-xyz`. */
  readonly url: string;
  /** The directory holding the socket (and the data directory). */
  readonly socketDir: string;
  /** Run `psql` on the test database with extra arguments (`-c SQL`, `-f FILE`); stops at the first error. */
  psql(...args: string[]): Promise<string>;
  /** Stop the server and remove every file it wrote. */
  stop(): Promise<void>;
}

/** Why a cluster cannot start here (a server binary is missing), or undefined when it can. */
function missingBinaries(): string | undefined {
  for (const tool of ["initdb", "pg_ctl", "psql"]) {
    if (!existsSync(join(POSTGRES_BIN, tool))) {
      return `PostgreSQL 15 is not installed (${join(POSTGRES_BIN, tool)} is missing; apt-get install postgresql-15)`;
    }
  }
  return undefined;
}

/**
 * Why PostgreSQL tests are skipped here (the server binaries are missing), or undefined when they run. In
 * CI (`CI=true`) they always run, so that a cluster that cannot start fails them rather than skips them.
 */
export function postgresUnavailableReason(): string | undefined {
  return process.env.CI === "true" ? undefined : missingBinaries();
}

/** `runuser` by absolute path: it lives in an sbin directory, which a minimal PATH (as in CI) leaves out. */
const RUNUSER =
  ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((path) => existsSync(path)) ?? "runuser";

/** The command line for a server binary: as the `postgres` user when we are root. */
function asClusterUser(tool: string, args: string[]): [string, string[]] {
  const binary = join(POSTGRES_BIN, tool);
  return userInfo().uid === 0 ? [RUNUSER, ["-u", CLUSTER_USER, "--", binary, ...args]] : [binary, args];
}

async function server(tool: string, args: string[]): Promise<void> {
  const [command, argv] = asClusterUser(tool, args);
  try {
    await run(command, argv);
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? "";
    throw new Error(`${tool} ${args.join(" ")} failed: ${stderr.trim()}`, { cause: error });
  }
}

/**
 * Start a fresh cluster with `initdb` + `pg_ctl` on a Unix socket (no TCP) and create database `butler`;
 * call `stop()` when done (cleanup also happens when starting fails).
 * @throws {Error} when the binaries are missing or the server does not start.
 */
export async function startPostgresCluster(database = "butler"): Promise<PostgresCluster> {
  const reason = missingBinaries();
  if (reason !== undefined) {
    throw new Error(
      process.env.CI === "true" ? `${reason} (CI=true: PostgreSQL tests fail, not skip)` : reason,
    );
  }
  // Short path: a Unix socket path must fit in 107 bytes.
  const dir = mkdtempSync(join(tmpdir(), "pg-"));
  const data = join(dir, "data");
  let started = false;
  // A worker that exits without running afterAll still stops its server (synchronously: exit handlers cannot wait).
  const onExit = () => {
    if (started) execFileSync(...asClusterUser("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]));
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", onExit);
  const stop = async () => {
    process.removeListener("exit", onExit);
    try {
      if (started) await server("pg_ctl", ["stop", "-D", data, "-m", "immediate", "-w"]);
    } finally {
      started = false;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    if (userInfo().uid === 0) {
      const { stdout } = await run("id", ["-u", CLUSTER_USER]);
      const { stdout: gid } = await run("id", ["-g", CLUSTER_USER]);
      chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
    }
    await server("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "-N"]);
    // Settings in the config file rather than on pg_ctl's command line, which goes through a shell.
    appendFileSync(
      join(data, "postgresql.conf"),
      [
        "listen_addresses = ''",
        `unix_socket_directories = '${dir}'`,
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "",
      ].join("\n"),
    );
    await server("pg_ctl", ["start", "-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60"]);
    started = true;
    const psql = async (db: string, ...args: string[]) => {
      const argv = ["-h", dir, "-U", "postgres", "-d", db, "-X", "-q", "-v", "ON_ERROR_STOP=1", ...args];
      try {
        return (await run(join(POSTGRES_BIN, "psql"), argv, { maxBuffer: 64 << 20 })).stdout;
      } catch (error) {
        const stderr = (error as { stderr?: string }).stderr ?? "";
        throw new Error(`psql ${args.join(" ")} failed: ${stderr.trim()}`, { cause: error });
      }
    };
    await psql("postgres", "-c", `CREATE DATABASE "${database}"`);
    return {
      url: `postgresql://postgres@/${database}?host=${dir}`,
      socketDir: dir,
      psql: (...args) => psql(database, ...args),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
