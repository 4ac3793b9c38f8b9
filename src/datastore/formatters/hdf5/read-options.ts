import { MissingDependencyError, StorageClassError } from "../../../errors.ts";
import type { FormatterReadOptions } from "../formatter.ts";

/**
 * The read parameters given (undefined values dropped), each checked to be one the layout of `storageClass`
 * applies.
 * @throws {StorageClassError} for a parameter it does not apply, naming those it does.
 */
export function readParameters(
  options: FormatterReadOptions | undefined,
  storageClass: string,
  accepted: readonly string[],
): Readonly<Record<string, unknown>> {
  const given = Object.entries(options?.parameters ?? {}).filter(([, value]) => value !== undefined);
  for (const [name] of given) {
    if (accepted.includes(name)) continue;
    throw new StorageClassError(`Storage class "${storageClass}" has no read parameter "${name}"`, {
      hint:
        accepted.length === 0
          ? "The hdf5 formatter applies none to it."
          : `The hdf5 formatter applies: ${accepted.join(", ")}.`,
    });
  }
  return Object.fromEntries(given);
}

/** The error for a component the hdf5 formatter cannot compute. */
export function missingComponent(component: string, storageClass: string): MissingDependencyError {
  return new MissingDependencyError(
    `butler-ts cannot compute derived component "${component}" of storage class "${storageClass}" yet`,
    { hint: "Read the whole dataset and compute it from the object." },
  );
}
