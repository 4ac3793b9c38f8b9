import { setTimeout as sleep } from "node:timers/promises";
import { ConflictingDefinitionError, DatabaseError } from "../../errors.ts";

/** How often, and how patiently, a transaction that lost to another writer is tried again. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 8). */
  readonly attempts?: number;
  /** Upper bound of the first backoff, in ms; it doubles at each attempt (default 10). */
  readonly baseDelayMs?: number;
  /** Longest backoff, in ms (default 1000). */
  readonly maxDelayMs?: number;
}

const DEFAULTS = { attempts: 8, baseDelayMs: 10, maxDelayMs: 1000 } as const;

/** The error, or an error in its `cause` chain, for which `test` holds. */
function inCauses<T>(error: unknown, test: (error: unknown) => error is T): T | undefined {
  const seen = new Set<unknown>();
  for (let current = error; current !== undefined && current !== null && !seen.has(current); ) {
    if (test(current)) return current;
    seen.add(current);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * Run one whole transaction (`attempt`) and run it again, after a jittered exponential backoff, while it
 * fails because another writer won (`transient` says which driver errors those are: a deadlock, a
 * serialization failure, a busy database). The attempt must leave nothing behind when it fails: it has
 * rolled back, and its `onRollback` actions (caches of what it wrote) have run.
 * @throws {DatabaseError} of kind `busy` when every attempt lost, saying how many there were.
 * @throws whatever else `attempt` throws, at once.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  transient: (error: DatabaseError) => boolean,
  location: string,
  policy: RetryPolicy = {},
): Promise<T> {
  const attempts = Math.max(1, Math.floor(policy.attempts ?? DEFAULTS.attempts));
  const base = Math.max(0, policy.baseDelayMs ?? DEFAULTS.baseDelayMs);
  const max = Math.max(base, policy.maxDelayMs ?? DEFAULTS.maxDelayMs);
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const lost = inCauses(error, (e): e is DatabaseError => e instanceof DatabaseError && transient(e));
      if (lost === undefined) throw error;
      if (n >= attempts) {
        throw new DatabaseError(
          `Registry ${location}: a transaction lost to concurrent writers ${attempts} times in a row; the last time: ${lost.message}`,
          "busy",
          {
            cause: lost,
            hint: "Too many processes are writing the same repository at once; try again later, or write from fewer processes (or in larger batches).",
          },
        );
      }
      // "Full jitter": a random delay up to the doubled bound, so writers that collided spread out.
      await sleep(Math.random() * Math.min(max, base * 2 ** (n - 1)));
    }
  }
}

/**
 * An outermost transaction as both drivers run it: {@link withRetries} around the attempt, then a
 * constraint the database refused turned into a {@link ConflictingDefinitionError} ({@link conflictError}).
 * @throws {DatabaseError} of kind `busy` when every attempt lost. @throws {ConflictingDefinitionError}
 */
export async function retriedTransaction<T>(
  attempt: () => Promise<T>,
  transient: (error: DatabaseError) => boolean,
  location: string,
  policy: RetryPolicy = {},
): Promise<T> {
  try {
    return await withRetries(attempt, transient, location, policy);
  } catch (error) {
    throw conflictError(error);
  }
}

/**
 * A {@link ConflictingDefinitionError} for a unique or exclusion constraint the database refused, naming
 * the table and the conflicting key when the driver says them; any other error is returned as it is.
 * Stores that know better (a dataset's data ID in its RUN, a record's key) explain their own conflicts
 * first, from the {@link DatabaseError} this error keeps as its cause.
 */
export function conflictError(error: unknown): unknown {
  if (!(error instanceof DatabaseError) || error.kind !== "unique") return error;
  const conflict = new ConflictingDefinitionError(error.message, {
    cause: error,
    hint: "Something with the same key is already in the repository (perhaps written by another process just now); use the existing one or choose another key.",
  });
  converted.add(conflict);
  return conflict;
}

/** Errors made by {@link conflictError}, told apart from the stores' own explained conflicts. */
const converted = new WeakSet<Error>();

/** The unique-violation {@link DatabaseError} behind `error`: itself, or the cause of a {@link conflictError}. */
export function uniqueViolation(error: unknown): DatabaseError | undefined {
  if (error instanceof DatabaseError) return error.kind === "unique" ? error : undefined;
  if (error instanceof ConflictingDefinitionError && converted.has(error)) {
    return error.cause instanceof DatabaseError ? error.cause : undefined;
  }
  return undefined;
}
