import type { Command } from "commander";
import { CommandLineError } from "../../errors.ts";
import { addConfirmOptions, collectList, confirm, type RegisterCommand, withButler } from "../command-kit.ts";
import { searchDatasets } from "../dataset-search.ts";
import { datasetTable } from "../dataset-table.ts";
import { formatTables } from "../output-table.ts";
import { datasetsOption, warn, whereOption } from "../query-options.ts";

interface PruneOptions {
  readonly datasets?: string[];
  readonly findAll?: boolean;
  readonly where?: string;
  readonly disassociate?: string[];
  readonly purge?: string;
  readonly unstore?: boolean;
  readonly dryRun?: boolean;
  readonly confirm?: boolean;
}

/** daf_butler's messages (`cli/cmd/commands.py`), word for word. */
const MESSAGES = {
  wouldRemove: "The following datasets will be removed from any datastores in which they are present:",
  wouldDisassociate: (c: string) =>
    `The following datasets will be disassociated from ${c} if they are currently present in it (which is not checked):`,
  wouldDisassociateAndRemove: (c: string) =>
    `The following datasets will be disassociated from ${c} if they are currently present in it (which is not checked), and removed from any datastores in which they are present.`,
  willRemove: "The following datasets will be removed:",
  didRemoveAforementioned: "The datasets were removed.",
  didNotRemoveAforementioned: "Did not remove the datasets.",
  didRemove: "Removed the following datasets:",
  noDatasetsFound: "Did not find any datasets.",
  errPurgeAndDisassociate:
    "--disassociate and --purge may not be used together: --disassociate purges from just the passed TAGged collections, but --purge forces disassociation from all of them.",
  errQuietWithDryRun: "Can not use --quiet and --dry-run together.",
  errNoCollectionRestriction:
    "Must indicate collections from which to prune datasets by passing COLLETION arguments (select all collections by passing '*', or consider using 'butler prune-collections'), by using --purge to pass a run collection, or by using --disassociate to select a tagged collection.",
  errPruneOnNotRun: (c: string) => `Can not prune a collection that is not a RUN collection: ${c}`,
  errNoOp: "No operation: one of --purge, --unstore, or --disassociate must be provided.",
} as const;

/** `butler prune-datasets REPO [COLLECTIONS...]`: untag, unstore or purge the datasets a query finds. */
export const registerPruneDatasets: RegisterCommand = (program: Command, context) => {
  addConfirmOptions(
    program
      .command("prune-datasets")
      .summary("Remove datasets.")
      .description(
        "Query for and remove one or more datasets from a collection and/or storage. The global --quiet (also accepted after the verb) prints nothing and implies --no-confirm; it cannot be used with --dry-run.",
      )
      .argument("<repo>", "Path of the repository.")
      .argument(
        "[collections...]",
        "Collections to search for datasets; globs only with --find-all (default: the --purge run or the --disassociate tags).",
      )
      .addOption(
        datasetsOption("Dataset type names or globs of the datasets to prune (repeatable, comma-separated)."),
      )
      .option(
        "--find-all",
        "Prune the datasets of every collection searched, not only the first found (in COLLECTIONS order) for each data ID.",
      )
      .addOption(whereOption())
      .option(
        "--disassociate <TAG>",
        "Remove the datasets from these TAGGED collections (repeatable, comma-separated); not with --purge.",
        collectList,
      )
      .option(
        "--purge <RUN>",
        "Remove the datasets from the repository entirely (every collection, and their files); not with --disassociate.",
      )
      .option("--unstore", "Delete the datasets' files (they stay in the registry).")
      .option("--dry-run", "Show the datasets that would be pruned, and change nothing."),
  ).action(async (repo: string, collections: string[], options: PruneOptions) => {
    const ctx = context();
    const tags = options.disassociate ?? [];
    if (ctx.quiet && options.dryRun) throw new CommandLineError(MESSAGES.errQuietWithDryRun);
    if (tags.length === 0 && !options.unstore && options.purge === undefined) {
      throw new CommandLineError(MESSAGES.errNoOp);
    }
    if (tags.length > 0 && options.purge !== undefined)
      throw new CommandLineError(MESSAGES.errPurgeAndDisassociate);
    const searched =
      collections.length > 0 ? collections : options.purge !== undefined ? [options.purge] : tags;
    if (searched.length === 0) throw new CommandLineError(MESSAGES.errNoCollectionRestriction);
    await withButler(repo, { writeable: true }, async (butler) => {
      if (options.purge !== undefined) {
        const info = await butler.registry.collections.getInfo(options.purge);
        if (info.type !== "RUN") throw new CommandLineError(MESSAGES.errPruneOnNotRun(options.purge));
      }
      const result = await searchDatasets(butler.registry, {
        datasetTypes: options.datasets ?? [],
        collections: searched,
        where: options.where,
        findFirst: options.findAll !== true,
        orderBy: [],
        limit: 0,
      });
      for (const message of result.warnings) warn(ctx, message);
      const groups = result.groups.filter((g) => g.refs.length > 0);
      const tables = formatTables(
        groups.map((g) =>
          datasetTable({ name: g.datasetType.name, dimensions: g.datasetType.dimensions, refs: g.refs }),
        ),
        "table",
      );
      const purge = options.purge !== undefined;
      const action = {
        disassociate: tags.length > 0 || purge,
        unstore: options.unstore === true || purge,
        purge,
        tags,
      };
      const print = (message: string) => ctx.stdout.write(`${message}\n`);
      if (options.dryRun) {
        const names = searched.join(", ");
        print(
          action.disassociate && action.unstore
            ? MESSAGES.wouldDisassociateAndRemove(names)
            : action.disassociate
              ? MESSAGES.wouldDisassociate(names)
              : MESSAGES.wouldRemove,
        );
        ctx.stdout.write(tables);
        return;
      }
      const prune = () =>
        butler.pruneDatasets(
          groups.flatMap((g) => g.refs),
          action,
        );
      if (options.confirm !== false && !ctx.quiet) {
        if (groups.length === 0) {
          print(MESSAGES.noDatasetsFound);
          return;
        }
        print(MESSAGES.willRemove);
        ctx.stdout.write(tables);
        if (await confirm(ctx, true, "Continue?")) {
          await prune();
          print(MESSAGES.didRemoveAforementioned);
        } else {
          print(MESSAGES.didNotRemoveAforementioned);
        }
        return;
      }
      await prune();
      if (!ctx.quiet) {
        print(MESSAGES.didRemove);
        ctx.stdout.write(tables);
      }
    });
  });
};
