import type { Command } from "commander";
import type { TransferMode } from "../../datastore/datastore.ts";
import { CommandLineError } from "../../errors.ts";
import { type RegisterCommand, transferOption, withButler } from "../command-kit.ts";
import {
  type DatasetQueryOptions,
  datasetQueryOptions,
  datasetSearchRequest,
} from "../dataset-query-options.ts";
import { searchDatasets } from "../dataset-search.ts";
import { warn, warnLimit } from "../query-options.ts";

interface RetrieveOptions extends DatasetQueryOptions {
  readonly transfer: TransferMode;
  readonly verbose?: boolean;
  readonly preservePath: boolean;
  readonly clobber: boolean;
  readonly zip: boolean;
}

/** `butler retrieve-artifacts REPO DESTINATION`: copy the files of datasets out of a repository. */
export const registerRetrieveArtifacts: RegisterCommand = (program: Command, context) => {
  const command = program
    .command("retrieve-artifacts")
    .summary("Retrieve file artifacts associated with datasets in a repository.")
    .description(
      "Copy the files of the datasets the query finds into DESTINATION (keeping their paths inside the repository unless --no-preserve-path), with an index of the datasets each holds; or, with --zip, into one zip file there that `ingest-zip` can take.",
    )
    .argument("<repo>", "Path of the repository.")
    .argument("<destination>", "Directory to receive the files (created if needed).");
  datasetQueryOptions(command)
    .addOption(transferOption("How to copy the files out (move is refused)."))
    .option("-v, --verbose", "List every file written.")
    .option("--preserve-path", "Keep each file's path inside the repository (default).", true)
    .option("--no-preserve-path", "Write the files flat, by file name.")
    .option("--clobber", "Replace files that exist at the destination.", false)
    .option("--no-clobber", "Refuse to replace files at the destination (default).")
    .option(
      "--zip",
      "Write one zip file (with daf_butler's _butler_zip_index.json) instead of loose files.",
      false,
    )
    .option("--no-zip", "Write loose files (default).")
    .action(async (repo: string, destination: string, options: RetrieveOptions) => {
      if (options.transfer === "move" || options.transfer === "direct") {
        throw new CommandLineError(`Can not ${options.transfer} artifacts out of a repository`, {
          hint: "Use --transfer copy (or auto).",
        });
      }
      const transfer = options.transfer;
      const ctx = context();
      await withButler(repo, {}, async (butler) => {
        const result = await searchDatasets(butler.registry, datasetSearchRequest(options));
        for (const message of result.warnings) warn(ctx, message);
        if (result.truncated) warnLimit(ctx, "datasets", -options.limit);
        const refs = result.groups.flatMap((group) => group.refs);
        if (refs.length === 0) {
          ctx.stdout.write("No datasets matched query.\n");
          return;
        }
        if (options.zip) {
          const { retrieveArtifactsZip } = await import("../../butler/import-export.ts");
          const path = await retrieveArtifactsZip(butler, refs, destination, { overwrite: options.clobber });
          ctx.stdout.write(`Zip file written to ${path}\n`);
          return;
        }
        const written = await butler.retrieveArtifacts(refs, destination, {
          transfer,
          preservePath: options.preservePath,
          overwrite: options.clobber,
        });
        if (options.verbose && written.length > 0) {
          ctx.stdout.write(`Transferred the following to ${destination}:\n${written.join("\n")}\n\n`);
        }
        ctx.stdout.write(
          `Number of artifacts retrieved into destination ${destination}: ${written.length}\n`,
        );
      });
    });
};
