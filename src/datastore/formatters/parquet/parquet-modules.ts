import { MissingDependencyError } from "../../../errors.ts";

/**
 * A Parquet package, imported on first use (butler-ts loads without them).
 * @throws {MissingDependencyError} naming the package when it is not installed.
 */
export async function importParquetModule<T>(name: string, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    throw new MissingDependencyError(`Cannot load ${name}, which butler-ts needs for Parquet files`, {
      cause: error,
      hint: `Install it: "npm install ${name}".`,
    });
  }
}
