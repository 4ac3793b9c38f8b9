import { DatabaseError } from "../../../../errors.ts";

/** SQLSTATE codes (https://www.postgresql.org/docs/15/errcodes-appendix.html) and the kind they are. */
const SQLSTATE_KINDS: Readonly<Record<string, DatabaseError["kind"]>> = {
  "23505": "unique",
  // An exclusion constraint (overlapping calibration validity) is a conflict like a duplicate key.
  "23P01": "unique",
  "23503": "foreign-key",
  "23514": "check",
  "23502": "not-null",
  "40001": "busy",
  "40P01": "busy",
  "55P03": "busy",
  "57014": "busy",
  "25006": "readonly",
};

const HINTS: Partial<Record<DatabaseError["kind"], string>> = {
  busy: "Another writer conflicted with this one, or a lock or statement timeout expired; try again.",
  readonly: "Open the repository as writeable to change it.",
};

/**
 * Whether a wrapped error means the transaction lost to another one and may simply be run again: a
 * serialization failure (40001) or a deadlock (40P01). Lock and statement timeouts are not: waiting
 * longer is the user's choice.
 */
export function isTransientPostgresError(error: DatabaseError): boolean {
  const code = (error.cause as { code?: unknown } | undefined)?.code;
  return code === "40001" || code === "40P01";
}

/** A URL with any password removed (from the user part and from a `password=` parameter). */
export function redactPostgresUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:@/]*):[^@/]*@/i, "$1@").replace(/([?&]password=)[^&]*/i, "$1***");
}

/** Turn an error from `pg` into a {@link DatabaseError} that says what failed, where and in which SQL. */
export function wrapPostgresError(error: unknown, location: string, sql: string): DatabaseError {
  const code = (error as { code?: unknown }).code;
  const kind = (typeof code === "string" && SQLSTATE_KINDS[code]) || "other";
  const message = error instanceof Error ? error.message : String(error);
  const statement = sql.length > 200 ? `${sql.slice(0, 200)}...` : sql;
  const { detail, table } = error as { detail?: unknown; table?: unknown };
  const where = kind === "unique" && typeof table === "string" ? ` in table "${table}"` : "";
  return new DatabaseError(
    `PostgreSQL registry ${location}: ${message}${where}${typeof detail === "string" ? ` (${detail})` : ""} ` +
      `(in: ${statement.replace(/\s+/g, " ")})`,
    kind,
    { cause: error, hint: HINTS[kind] },
  );
}

/** The error for a server that cannot be reached or a database that cannot be opened. */
export function connectionError(error: unknown, location: string): DatabaseError {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  let hint = "Check that the server is running and the URL's host, port or socket directory.";
  if (code === "3D000") hint = "Create the database first (createdb), or fix its name in the URL.";
  else if (code === "28P01" || code === "28000") hint = "Check the user name and password for this server.";
  return new DatabaseError(`Cannot connect to PostgreSQL registry ${location}: ${message}`, "other", {
    cause: error,
    hint,
  });
}
