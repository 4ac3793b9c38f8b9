import { writeFile } from "node:fs/promises";
import type { Command } from "commander";
import { CommandLineError } from "../../errors.ts";
import type { RegisterCommand } from "../command-kit.ts";

/** `butler config-dump REPO`: the repository's configuration as YAML. */
export const registerConfigDump: RegisterCommand = (program: Command, context) => {
  program
    .command("config-dump")
    .description("Dump butler config to stdout.")
    .argument("<repo>", "Path of the repository.")
    .option("-s, --subset <key>", "Dump only this part of the config, e.g. .registry.db.")
    .option("--file <path>", "Write to this file instead of standard output.")
    .action(async (repo: string, options: { subset?: string; file?: string }) => {
      const { formatButlerConfig, readButlerConfig } = await import("../../repository/butler-config.ts");
      const config = await readButlerConfig(repo);
      let value: unknown = config.document;
      if (options.subset !== undefined) {
        for (const key of options.subset.split(".").filter((k) => k !== "")) {
          if (value === null || typeof value !== "object" || !(key in (value as object))) {
            throw new CommandLineError(`No key "${options.subset}" in the config of ${repo}`, {
              hint: "Run `butler config-dump REPO` to see the keys.",
            });
          }
          value = (value as Record<string, unknown>)[key];
        }
      }
      const text =
        value !== null && typeof value === "object"
          ? formatButlerConfig(value as Record<string, unknown>)
          : `${String(value)}\n`;
      if (options.file !== undefined) await writeFile(options.file, text);
      else context().stdout.write(text);
    });
};
