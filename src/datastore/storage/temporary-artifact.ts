/**
 * How every backend names an artifact that is still being written. A name with this prefix left in a store
 * is an interrupted write (safe to delete once its writer is gone), never a dataset; `list` never yields one.
 */
export const TEMP_ARTIFACT_PREFIX = ".butler-tmp-";

/** Whether a file name (a basename, not a path) is that of an unfinished write. */
export function isTemporaryArtifactName(basename: string): boolean {
  return basename.startsWith(TEMP_ARTIFACT_PREFIX);
}
