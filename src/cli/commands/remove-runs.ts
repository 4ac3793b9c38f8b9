import type { Command } from "commander";
import { CommandLineError } from "../../errors.ts";
import type { Registry } from "../../registry/registry.ts";
import { isGlob } from "../../util/glob.ts";
import {
  addConfirmOptions,
  confirm,
  inform,
  printTable,
  type RegisterCommand,
  withRegistry,
} from "../command-kit.ts";

interface RunPlan {
  readonly run: string;
  readonly parents: readonly string[];
  readonly counts: ReadonlyMap<string, number>;
}

async function planRuns(registry: Registry, pattern: string): Promise<RunPlan[]> {
  const runs = await registry.collections.query([pattern], { types: ["RUN"] });
  if (runs.length === 0 && !isGlob(pattern)) {
    const info = await registry.collections.getInfo(pattern);
    throw new CommandLineError(`Collection "${pattern}" is ${info.type}, not a RUN`, {
      hint: "Use `butler remove-collections` for it.",
    });
  }
  const types = await registry.datasetTypes.query();
  return Promise.all(
    runs.map(async (run) => {
      const counts = new Map<string, number>();
      for (const type of types) {
        const n = (await registry.datasets.query(type.name, { collections: [run] })).length;
        if (n > 0) counts.set(type.name, n);
      }
      return { run, parents: await registry.collections.getParentChains(run), counts };
    }),
  );
}

/** `butler remove-runs REPO COLLECTION`: delete RUN collections and their datasets. */
export const registerRemoveRuns: RegisterCommand = (program: Command, context) => {
  addConfirmOptions(
    program
      .command("remove-runs")
      .description("Remove one or more RUN collections and the datasets in them.")
      .argument("<repo>", "Path of the repository.")
      .argument("<collection>", "RUN collection name or glob pattern."),
  )
    .option("--force", "Unlink runs from their parent chains without asking (needed with --no-confirm).")
    .action(async (repo: string, pattern: string, options: { confirm?: boolean; force?: boolean }) => {
      await withRegistry(repo, true, async (registry) => {
        const plans = await planRuns(registry, pattern);
        const ctx = context();
        if (plans.length === 0) {
          inform(ctx, "Did not find any collections to remove.");
          return;
        }
        const chained = plans.filter((p) => p.parents.length > 0);
        if (options.confirm === false && chained.length > 0 && !options.force) {
          throw new CommandLineError(
            `Runs ${chained.map((p) => `"${p.run}"`).join(", ")} are in chains; not removing without --force`,
            {
              hint: "Pass --force to unlink them from their chains, or remove them from the chains first.",
            },
          );
        }
        printTable(
          ctx,
          {
            columns: ["Run", "Parents"],
            rows: plans.map((p) => [p.run, p.parents.join(", ")]),
            align: "left",
          },
          "table",
        );
        const totals = new Map<string, number>();
        for (const plan of plans)
          for (const [type, n] of plan.counts) totals.set(type, (totals.get(type) ?? 0) + n);
        if (totals.size > 0) {
          printTable(
            ctx,
            { columns: ["Dataset Type", "Count"], rows: [...totals].sort(([a], [b]) => (a < b ? -1 : 1)) },
            "table",
          );
        }
        const total = [...totals.values()].reduce((a, b) => a + b, 0);
        ctx.stdout.write(`Total number of datasets to remove: ${total}\n`);
        if (!(await confirm(ctx, options.confirm, "Continue?"))) {
          inform(ctx, "Aborted.");
          return;
        }
        await registry.transaction(async () => {
          for (const plan of plans) {
            for (const parent of plan.parents) {
              const children = await registry.collections.getChain(parent);
              await registry.collections.setChain(
                parent,
                children.filter((c) => c !== plan.run),
              );
            }
            await registry.collections.remove(plan.run);
          }
        });
        inform(
          ctx,
          `Removed ${plans.length} RUN collection${plans.length === 1 ? "" : "s"} and ${total} dataset${total === 1 ? "" : "s"}.`,
        );
      });
    });
};
