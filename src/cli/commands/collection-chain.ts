import { type Command, Option } from "commander";
import { CommandLineError } from "../../errors.ts";
import type { RegisterCommand } from "../command-kit.ts";
import { withRegistry } from "../command-kit.ts";

const MODES = ["redefine", "extend", "remove", "prepend", "pop"] as const;
type Mode = (typeof MODES)[number];

/** The children a chain has after an edit. */
function edit(current: readonly string[], children: readonly string[], mode: Mode): string[] {
  switch (mode) {
    case "redefine":
      return [...children];
    case "extend":
      return [...current.filter((c) => !children.includes(c)), ...children];
    case "prepend":
      return [...children, ...current.filter((c) => !children.includes(c))];
    case "remove": {
      const missing = children.filter((c) => !current.includes(c));
      if (missing.length > 0) throw new CommandLineError(`Not in the chain: ${missing.join(", ")}`);
      return current.filter((c) => !children.includes(c));
    }
    case "pop": {
      const indices = (children.length === 0 ? ["0"] : children).map((text) => {
        const index = Number(text);
        if (!Number.isInteger(index) || index >= current.length || index < -current.length) {
          throw new CommandLineError(`Invalid index "${text}" for a chain of ${current.length}`, {
            hint: "--mode pop takes integer positions; negative ones count from the end (put them after --).",
          });
        }
        return index < 0 ? current.length + index : index;
      });
      return current.filter((_, i) => !indices.includes(i));
    }
  }
}

/** `butler collection-chain REPO PARENT [CHILDREN...]`. */
export const registerCollectionChain: RegisterCommand = (program: Command, context) => {
  program
    .command("collection-chain")
    .description("Define a collection chain.")
    .argument("<repo>", "Path of the repository.")
    .argument("<parent>", "The CHAINED collection.")
    .argument("[children...]", "Child collections (or, with --mode pop, positions).")
    .option("--doc <text>", "Documentation for a new chain.")
    .option("--flatten", "Replace nested chains by the collections they search.")
    .option("--no-flatten", "Keep nested chains (default).")
    .addOption(new Option("--mode <mode>", "How to change the chain.").choices(MODES).default("redefine"))
    .action(
      async (
        repo: string,
        parent: string,
        children: string[],
        options: { doc?: string; flatten?: boolean; mode: Mode },
      ) => {
        const split = children
          .flatMap((c) => c.split(","))
          .map((c) => c.trim())
          .filter((c) => c !== "");
        if (split.length === 0 && options.mode !== "pop") {
          throw new CommandLineError(`--mode ${options.mode} needs at least one child collection`);
        }
        if (options.flatten && (options.mode === "remove" || options.mode === "pop")) {
          throw new CommandLineError("--flatten can only be used with --mode redefine, extend or prepend");
        }
        await withRegistry(repo, true, async (registry) => {
          const result = await registry.transaction(async () => {
            if (options.mode === "remove" || options.mode === "pop")
              await registry.collections.getInfo(parent);
            else await registry.collections.register(parent, "CHAINED", options.doc ?? null);
            const current = await registry.collections.getChain(parent);
            await registry.collections.setChain(parent, edit(current, split, options.mode), {
              flatten: options.flatten === true,
            });
            return registry.collections.getChain(parent);
          });
          context().stdout.write(`[${result.join(", ")}]\n`);
        });
      },
    );
};
