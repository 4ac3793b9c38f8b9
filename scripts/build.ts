// Compile src/ to dist/ (JavaScript and .d.ts) for the published package: Node strips types only outside
// node_modules, so an installed butler-ts must ship JavaScript.
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";

rmSync(new URL("../dist", import.meta.url), { recursive: true, force: true });
const result = spawnSync("tsc", ["-p", "tsconfig.build.json"], { stdio: "inherit", shell: false });
process.exitCode = result.status ?? 1;
