import { createHash } from "node:crypto";
import { basename, resolve } from "node:path";
import { ConfigError } from "../../../../errors.ts";

/** PostgreSQL's limit on identifier length, in bytes (NAMEDATALEN - 1). */
const MAX_NAMESPACE_BYTES = 63;
/** Hex digits of the hash that keeps two repository names apart once they are made identifiers. */
const HASH_DIGITS = 8;

const VALID = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Check a repository's PostgreSQL schema name (`registry.namespace`, `butler create --namespace`): a plain
 * identifier of at most 63 bytes, not one of PostgreSQL's reserved `pg_` names.
 * @throws {ConfigError} naming the value and what is wrong with it.
 */
export function checkPostgresNamespace(namespace: string): string {
  const problem =
    namespace === ""
      ? "is empty"
      : !VALID.test(namespace)
        ? "is not an identifier (letters, digits and _, not starting with a digit)"
        : Buffer.byteLength(namespace) > MAX_NAMESPACE_BYTES
          ? `is longer than PostgreSQL's ${MAX_NAMESPACE_BYTES} bytes`
          : /^pg_/i.test(namespace)
            ? 'starts with "pg_", which PostgreSQL reserves for system schemas'
            : undefined;
  if (problem !== undefined) {
    throw new ConfigError(`PostgreSQL namespace "${namespace}" ${problem}`, {
      path: "registry.namespace",
      hint: "Choose a name like my_repo.",
    });
  }
  return namespace;
}

/**
 * The PostgreSQL schema of a repository created at `root` without `--namespace`: its directory name when
 * that is already a valid lower-case identifier (`./repo` -> `repo`), otherwise the name folded to one with
 * a hash of the original added, so that names differing only in punctuation or case (`my-repo`,
 * `My_Repo`) get different schemas. Always the same for the same name; at most 63 bytes.
 * @example derivePostgresNamespace("/data/repos/rc2-2024") // "rc2_2024_" + 8 hex digits
 */
export function derivePostgresNamespace(root: string): string {
  const name = basename(resolve(root));
  if (/^[a-z_][a-z0-9_]*$/.test(name) && name.length <= MAX_NAMESPACE_BYTES && !name.startsWith("pg_")) {
    return name;
  }
  let folded = name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!/^[a-z]/.test(folded) || folded.startsWith("pg_")) folded = `repo_${folded}`;
  const hash = createHash("sha256").update(name, "utf8").digest("hex").slice(0, HASH_DIGITS);
  const room = MAX_NAMESPACE_BYTES - HASH_DIGITS - 1;
  return `${folded.slice(0, room).replace(/_+$/, "")}_${hash}`;
}
