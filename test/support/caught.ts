import { expect } from "vitest";

/** The error a synchronous call throws (the test fails when it returns). */
export function thrown(fn: () => unknown): Error & { code?: string; hint?: string; path?: string } {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

/** The error a promise rejects with, checked to be an instance of `kind` (the test fails when it resolves). */
export async function rejection<E extends Error>(
  promise: Promise<unknown>,
  kind: abstract new (...args: never[]) => E,
): Promise<E & { code?: string }> {
  const error = await promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(kind);
  return error as E & { code?: string };
}
