#!/usr/bin/env node
// Entry point of the `butler` command. In a source checkout it runs the TypeScript sources directly
// (Node strips the types); in an installed package it runs the compiled JavaScript in dist/.
import { existsSync } from "node:fs";

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  process.stderr.write(
    `error: butler-ts needs Node.js 22.12 or newer, but this is ${process.version}\n` +
      "hint: In a checkout of butler-ts run it as `npx butler`, which uses the Node.js it pins.\n",
  );
  process.exit(1);
}

// A reader that stops early (`butler query-datasets ... | head`) closes the pipe: stop quietly, as Unix tools do.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

const source = new URL("../src/cli/main.ts", import.meta.url);
const entry = existsSync(source) ? source : new URL("../dist/cli/main.js", import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
