import { MissingDependencyError } from "../../../errors.ts";

/** The apache-arrow module. */
export type ArrowModule = typeof import("apache-arrow");

let loaded: ArrowModule | undefined;

function missing(cause: unknown): MissingDependencyError {
  return new MissingDependencyError("Cannot load apache-arrow, which butler-ts needs for Arrow tables", {
    cause,
    hint: 'Install it: "npm install apache-arrow".',
  });
}

/**
 * apache-arrow, imported on first use (it is large, and only Arrow tables need it).
 * @throws {MissingDependencyError} when it is not installed.
 */
export async function loadArrow(): Promise<ArrowModule> {
  if (loaded !== undefined) return loaded;
  try {
    loaded = await import("apache-arrow");
  } catch (error) {
    throw missing(error);
  }
  return loaded;
}

/**
 * apache-arrow for synchronous code (storage-class conversions): the module already imported, else, in
 * Node, its ES module loaded synchronously (`require` of an ES module), which is the same module instance
 * `import()` gives, so Arrow objects from either mix.
 * @throws {MissingDependencyError} when it is not installed, or cannot be loaded synchronously here.
 */
export function arrowSync(): ArrowModule {
  if (loaded !== undefined) return loaded;
  try {
    const nodeModule = (
      globalThis as {
        process?: { getBuiltinModule?: (name: string) => unknown };
      }
    ).process?.getBuiltinModule?.("node:module") as typeof import("node:module") | undefined;
    if (nodeModule === undefined) throw new Error("synchronous loading needs Node.js");
    const require = nodeModule.createRequire(import.meta.url);
    loaded = require(
      decodeURIComponent(new URL(import.meta.resolve("apache-arrow")).pathname),
    ) as ArrowModule;
  } catch (error) {
    throw missing(error);
  }
  return loaded;
}
