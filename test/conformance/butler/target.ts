import { expect, onTestFinished, it as vitestIt } from "vitest";
import type { Butler } from "../../../src/butler/butler.ts";
import type { OpenButlerOptions } from "../../../src/butler/open-butler.ts";
import type { ResourceUri } from "../../../src/datastore/storage/resource-uri.ts";
import type { ButlerError } from "../../../src/errors.ts";

/**
 * One repository of the configuration under test, as the shared butler suite sees it: made fresh for each
 * test with the suite's dimension records, dataset types and storage classes (see `butler-fixtures.ts`).
 */
export interface ButlerTarget {
  /** Open a butler on the repository. */
  open(options?: OpenButlerOptions): Promise<Butler>;
  /**
   * Another fresh repository of the same configuration (for transfers between repositories); `empty`:
   * without dimension records and dataset types.
   */
  another(options?: { readonly empty?: boolean }): Promise<ButlerTarget>;
  /** Delete an artifact behind the butler's back. */
  removeArtifact(uri: ResourceUri): Promise<void>;
  /** Write an artifact no record names under the datastore root; returns its URI. */
  plantArtifact(path: string, bytes: Uint8Array): Promise<ResourceUri>;
  /** The bytes of an artifact, read directly from storage. */
  readArtifact(uri: ResourceUri): Promise<Uint8Array>;
  /** A local directory for files to ingest and artifacts to retrieve. */
  readonly scratch: string;
  cleanup(): Promise<void>;
}

/**
 * What a configuration cannot do, each with the reason; the tests needing it are skipped, naming it.
 * - `ingest`: take in existing files at all.
 * - `links`: ingest by hard or symbolic link (the artifacts are not local files).
 * - `artifacts`: artifacts with bytes that can be read, retrieved, transferred, tampered with.
 * - `soleCopy`: the artifact is the only copy, so deleting it makes the dataset unreadable.
 */
export type ButlerAbility = "ingest" | "links" | "artifacts" | "soleCopy";

/** The configuration under test: how to make a target, and what it lacks. */
export interface ButlerSuiteConfig {
  readonly setup: () => Promise<ButlerTarget>;
  readonly lacks: Partial<Record<ButlerAbility, string>>;
}

/** The RUN suite butlers write to by default. */
export const RUN = "suite/run";

/** A data ID of the suite's `notes`-like dataset types. */
export function det(detector: number): { instrument: string; detector: number } {
  return { instrument: "Cam1", detector };
}

/**
 * The test functions of one suite file: `test` runs always; `testIf(abilities, ...)` is skipped with the
 * reason of the first ability the configuration lacks; `start()` makes a fresh target, cleaned up after the
 * test, and `writer()` a butler on it writing to {@link RUN}.
 */
export function suiteTools(config: ButlerSuiteConfig): {
  test: (name: string, body: () => Promise<void>) => void;
  testIf: (needs: ButlerAbility | readonly ButlerAbility[], name: string, body: () => Promise<void>) => void;
  start: () => Promise<ButlerTarget>;
  writer: (options?: OpenButlerOptions) => Promise<{ target: ButlerTarget; butler: Butler }>;
} {
  const start = async (): Promise<ButlerTarget> => {
    const target = await config.setup();
    onTestFinished(() => target.cleanup());
    return target;
  };
  return {
    test: (name, body) => vitestIt(name, body),
    testIf: (needs, name, body) => {
      const lacking = (typeof needs === "string" ? [needs] : needs).find(
        (a) => config.lacks[a] !== undefined,
      );
      const reason = lacking === undefined ? undefined : config.lacks[lacking];
      if (reason === undefined) vitestIt(name, body);
      else vitestIt.skip(`${name} [skipped: ${reason}]`, body);
    },
    start,
    writer: async (options = {}) => {
      const target = await start();
      return { target, butler: await target.open({ run: RUN, ...options }) };
    },
  };
}

/**
 * Await a call that must fail, and check the error's class, `code` and message (exact text, or a pattern
 * for messages quoting generated values); returns the error for more checks (its hint).
 */
export async function expectFailure<E extends ButlerError>(
  action: Promise<unknown>,
  type: abstract new (...args: never[]) => E,
  message: string | RegExp,
): Promise<E> {
  const error = await action.then(
    (value) => {
      throw new Error(`Expected a ${type.name}, got ${String(value)}`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(type);
  const typed = error as E;
  expect(typed.code).toBe(type.name);
  if (typeof message === "string") expect(typed.message).toBe(message);
  else expect(typed.message).toMatch(message);
  return typed;
}
