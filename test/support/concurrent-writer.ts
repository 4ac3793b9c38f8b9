// A child process for the multi-process write test: inserts datasets into a repository in many small
// transactions, so that its writes interleave with another process's.
import { openRegistry } from "../../src/repository/open-registry.ts";

const [repo, run, firstDetector, count] = process.argv.slice(2) as [string, string, string, string];
const registry = await openRegistry(repo, { writeable: true });
try {
  await registry.collections.register(run, "RUN");
  for (let i = 0; i < Number(count); i++) {
    await registry.datasets.insert(
      "bias",
      [{ instrument: "Cam1", detector: Number(firstDetector) + i }],
      run,
    );
  }
} finally {
  await registry.close();
}
