import { type SpawnSyncReturns, spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = new URL("../..", import.meta.url).pathname;
let built = false;

/**
 * A function running the `butler` CLI as an installed package does: the compiled JavaScript in dist/
 * (a checkout strips types at start-up), built once per benchmark process.
 */
export function compiledButler(): (...args: string[]) => SpawnSyncReturns<string> {
  if (!built) {
    const build = spawnSync("npm", ["run", "build", "--silent"], { cwd: ROOT, encoding: "utf8" });
    if (build.status !== 0) throw new Error(`npm run build failed: ${build.stderr}`);
    built = true;
  }
  const launcher =
    "const { main } = await import(process.argv[1]); process.exitCode = await main(process.argv.slice(2));";
  return (...args: string[]) => {
    const main = join(ROOT, "dist", "cli", "main.js");
    const result = spawnSync(process.execPath, ["--input-type=module", "-e", launcher, main, ...args], {
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    });
    if (result.status !== 0) throw new Error(`butler ${args.join(" ")} failed: ${result.stderr}`);
    return result;
  };
}

/** Starting Node with no code: the floor of any CLI figure. */
export const nodeStart = {
  name: "start node with no code",
  run: () => spawnSync(process.execPath, ["-e", "0"]),
};
