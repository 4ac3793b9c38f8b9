import { spawn } from "node:child_process";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DatasetType } from "../../src/datasets/dataset-type.ts";
import { createRepository } from "../../src/repository/create-repository.ts";
import { openRegistry } from "../../src/repository/open-registry.ts";
import { REPO_ROOT } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

const WRITER = join(REPO_ROOT, "test", "support", "concurrent-writer.ts");

function writer(
  repo: string,
  run: string,
  firstDetector: number,
  count: number,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [WRITER, repo, run, String(firstDetector), String(count)], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += String(chunk)));
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("two processes writing one SQLite repository", () => {
  let dir: { path: string; cleanup: () => void };
  let repo: string;

  beforeAll(async () => {
    dir = tempDir();
    repo = join(dir.path, "repo");
    const registry = await createRepository(repo);
    await registry.dimensions.insert("instrument", [{ name: "Cam1" }]);
    await registry.dimensions.insert(
      "detector",
      Array.from({ length: 200 }, (_, i) => ({ instrument: "Cam1", id: i, full_name: `D${i}` })),
    );
    await registry.datasetTypes.register(
      DatasetType.make(registry.universe, {
        name: "bias",
        dimensions: ["detector"],
        storageClass: "Exposure",
      }),
    );
    await registry.close();
  });

  afterAll(() => dir.cleanup());

  it("both succeed and nothing is lost, whether they write distinct runs or the same run", async () => {
    const results = await Promise.all([
      writer(repo, "run/one", 0, 60),
      writer(repo, "run/two", 0, 60),
      writer(repo, "run/shared", 100, 40),
      writer(repo, "run/shared", 140, 40),
    ]);
    for (const result of results) expect(result, result.stderr).toMatchObject({ code: 0 });
    const registry = await openRegistry(repo);
    try {
      for (const [run, count] of [
        ["run/one", 60],
        ["run/two", 60],
        ["run/shared", 80],
      ] as const) {
        expect(await registry.datasets.query("bias", { collections: [run] }), run).toHaveLength(count);
      }
    } finally {
      await registry.close();
    }
  });
});
