import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { onTestFinished } from "vitest";
import { ResourceUri } from "../../../src/datastore/storage/resource-uri.ts";
import { StorageError } from "../../../src/errors.ts";
import { type ButlerRepoOptions, createButlerRepo } from "../../support/butler-fixtures.ts";
import type { RegistryBackend } from "../../support/registry-backends.ts";
import type { ButlerTarget } from "./target.ts";

/**
 * A target on a repository opened with `openButler` (a direct butler). `artifactRoot` gives the root of
 * its file datastore from the repository directory, or null when it keeps no artifacts; `backend` says
 * where its registry lives (default: SQLite in the repository).
 */
export async function directTarget(
  datastore: ButlerRepoOptions["datastore"],
  artifactRoot: (repo: string) => ResourceUri | null,
  options: { readonly empty?: boolean; readonly backend?: RegistryBackend } = {},
): Promise<ButlerTarget> {
  const repo = await createButlerRepo({
    datastore,
    populate: options.empty !== true,
    ...(options.backend === undefined ? {} : { backend: options.backend }),
  });
  const root = artifactRoot(repo.root);
  const scratch = join(repo.root, "..", "scratch");
  mkdirSync(scratch);
  const needRoot = (): ResourceUri => {
    if (root === null) throw new StorageError("This configuration keeps no artifacts", "");
    return root;
  };
  return {
    open: (openOptions) => repo.open(openOptions),
    another: async (anotherOptions) => {
      const other = await directTarget(datastore, artifactRoot, {
        ...anotherOptions,
        ...(options.backend === undefined ? {} : { backend: options.backend }),
      });
      onTestFinished(() => other.cleanup());
      return other;
    },
    async removeArtifact(uri) {
      await repo.storage.backendFor(uri).delete(uri);
    },
    async plantArtifact(path, bytes) {
      const uri = needRoot().join(path);
      await repo.storage.backendFor(uri).write(uri, bytes);
      return uri;
    },
    readArtifact: (uri) => repo.storage.backendFor(uri).read(uri),
    scratch,
    cleanup: () => repo.cleanup(),
  };
}

/** The root of a file datastore at `<butlerRoot>`. */
export function repoRoot(repo: string): ResourceUri {
  return ResourceUri.file(repo, true);
}
