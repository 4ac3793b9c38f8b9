import { describe, expect, it } from "vitest";
import { thrown } from "../../../../../test/support/caught.ts";
import { ConfigError } from "../../../../errors.ts";
import { checkPostgresNamespace, derivePostgresNamespace } from "./postgres-namespace.ts";

describe("derivePostgresNamespace()", () => {
  it("keeps a directory name that is already a lower-case identifier", () => {
    expect(derivePostgresNamespace("/data/repos/main")).toBe("main");
    expect(derivePostgresNamespace("./rc2_2024/")).toBe("rc2_2024");
  });

  it("folds other names to identifiers, with a hash that keeps similar names apart", () => {
    const dashed = derivePostgresNamespace("/data/my-repo");
    expect(dashed).toMatch(/^my_repo_[0-9a-f]{8}$/);
    expect(derivePostgresNamespace("/elsewhere/my-repo")).toBe(dashed);
    expect(derivePostgresNamespace("/data/My_Repo")).toMatch(/^my_repo_[0-9a-f]{8}$/);
    expect(derivePostgresNamespace("/data/My_Repo")).not.toBe(dashed);
    expect(derivePostgresNamespace("/data/2024")).toMatch(/^repo_2024_[0-9a-f]{8}$/);
    expect(derivePostgresNamespace("/data/pg_stuff")).toMatch(/^repo_pg_stuff_[0-9a-f]{8}$/);
    expect(derivePostgresNamespace("/data/dépôt")).toMatch(/^d_p_t_[0-9a-f]{8}$/);
  });

  it("stays within 63 bytes and is a valid namespace", () => {
    for (const name of ["x".repeat(63), "x".repeat(64), `${"é".repeat(40)}-${"a".repeat(40)}`]) {
      const namespace = derivePostgresNamespace(`/data/${name}`);
      expect(Buffer.byteLength(namespace)).toBeLessThanOrEqual(63);
      expect(checkPostgresNamespace(namespace)).toBe(namespace);
    }
  });
});

describe("checkPostgresNamespace()", () => {
  it("refuses names PostgreSQL would not take as a plain identifier, naming the key", () => {
    for (const [name, problem] of [
      ["", "is empty"],
      ["has space", "is not an identifier (letters, digits and _, not starting with a digit)"],
      ["9lives", "is not an identifier (letters, digits and _, not starting with a digit)"],
      ["a".repeat(64), "is longer than PostgreSQL's 63 bytes"],
      ["pg_mine", 'starts with "pg_", which PostgreSQL reserves for system schemas'],
    ]) {
      const error = thrown(() => checkPostgresNamespace(name as string));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toBe(`registry.namespace: PostgreSQL namespace "${name}" ${problem}`);
    }
    expect(checkPostgresNamespace("Main_2")).toBe("Main_2");
  });
});
