import type { Command } from "commander";
import { OrphanedRecordError } from "../../errors.ts";
import {
  addConfirmOptions,
  confirm,
  inform,
  printTable,
  type RegisterCommand,
  withRegistry,
} from "../command-kit.ts";

/** `butler remove-collections REPO COLLECTION`: delete TAGGED, CHAINED and CALIBRATION collections. */
export const registerRemoveCollections: RegisterCommand = (program: Command, context) => {
  addConfirmOptions(
    program
      .command("remove-collections")
      .description("Remove one or more non-RUN collections (their datasets stay in their RUNs).")
      .argument("<repo>", "Path of the repository.")
      .argument("<collection>", "Collection name or glob pattern."),
  )
    .option("--remove-from-parents", "Also remove them from the chains that list them.")
    .action(
      async (repo: string, pattern: string, options: { confirm?: boolean; removeFromParents?: boolean }) => {
        await withRegistry(repo, true, async (registry) => {
          const ctx = context();
          const names = await registry.collections.query([pattern]);
          const infos = await Promise.all(names.map((n) => registry.collections.getInfo(n)));
          const removable = infos.filter((i) => i.type !== "RUN");
          const runs = infos.filter((i) => i.type === "RUN");
          const links: [string, string][] = [];
          for (const info of removable) {
            for (const parent of await registry.collections.getParentChains(info.name)) {
              if (!removable.some((r) => r.name === parent)) links.push([info.name, parent]);
            }
          }
          if (removable.length === 0) {
            inform(ctx, "Did not find any collections to remove.");
          } else {
            printTable(
              ctx,
              {
                columns: ["Collection", "Collection Type"],
                rows: removable.map((i) => [i.name, i.type]),
                align: "left",
              },
              "table",
            );
          }
          if (links.length > 0) {
            if (!options.removeFromParents) {
              throw new OrphanedRecordError(
                `Cannot remove ${links.map(([c, p]) => `"${c}" (in chain "${p}")`).join(", ")} while chains list them`,
                { hint: "Pass --remove-from-parents to take them out of those chains too." },
              );
            }
            printTable(
              ctx,
              { columns: ["Child Collection", "Parent Collection"], rows: links, align: "left" },
              "table",
            );
          }
          if (runs.length > 0) {
            ctx.stdout.write("These RUN collections match but are not removed (use remove-runs):\n");
            printTable(
              ctx,
              { columns: ["Collection"], rows: runs.map((r) => [r.name]), align: "left" },
              "table",
            );
          }
          if (removable.length === 0 || !(await confirm(ctx, options.confirm, "Continue?"))) return;
          await registry.transaction(async () => {
            for (const [child, parent] of links) {
              const children = await registry.collections.getChain(parent);
              await registry.collections.setChain(
                parent,
                children.filter((c) => c !== child),
              );
            }
            // Parents before children: a collection goes once no remaining chain lists it.
            let pending = removable.map((i) => i.name);
            while (pending.length > 0) {
              const parentsOf = await Promise.all(
                pending.map((name) => registry.collections.getParentChains(name)),
              );
              const free = pending.filter((_, i) => !(parentsOf[i] ?? []).some((p) => pending.includes(p)));
              if (free.length === 0)
                throw new OrphanedRecordError(`Cannot order the removal of ${pending.join(", ")}`);
              for (const name of free) await registry.collections.remove(name);
              pending = pending.filter((name) => !free.includes(name));
            }
          });
          inform(ctx, `Removed ${removable.length} collection${removable.length === 1 ? "" : "s"}.`);
        });
      },
    );
};
