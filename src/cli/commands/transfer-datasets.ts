import type { Command } from "commander";
import { type Butler, DatasetExistence } from "../../butler/butler.ts";
import type { DatasetRef } from "../../datasets/dataset-ref.ts";
import type { TransferMode } from "../../datastore/datastore.ts";
import { MissingDatasetTypeError } from "../../errors.ts";
import { type RegisterCommand, transferOption, withButler } from "../command-kit.ts";
import {
  type DatasetQueryOptions,
  datasetQueryOptions,
  datasetSearchRequest,
} from "../dataset-query-options.ts";
import { searchDatasets } from "../dataset-search.ts";
import { warn, warnLimit } from "../query-options.ts";

interface TransferOptions extends DatasetQueryOptions {
  readonly transfer: TransferMode;
  readonly registerDatasetTypes?: boolean;
  readonly transferDimensions: boolean;
  readonly dryRun: boolean;
}

/**
 * What a transfer would copy, without copying: the refs with artifacts in the source that the destination
 * does not store yet.
 * @throws {MissingDatasetTypeError} for a type the destination lacks, unless `register`.
 */
async function plannedTransfer(
  source: Butler,
  dest: Butler,
  refs: readonly DatasetRef[],
  register: boolean,
): Promise<DatasetRef[]> {
  const known = new Set((await dest.registry.datasetTypes.query()).map((t) => t.name));
  for (const name of new Set(refs.map((r) => r.datasetType.name))) {
    if (!register && !known.has(name)) {
      throw new MissingDatasetTypeError(`Dataset type "${name}" is not registered in the destination`, {
        hint: "Pass --register-dataset-types to register it.",
      });
    }
  }
  const stored = await source.stored(refs);
  const wanted: DatasetRef[] = [];
  for (const ref of refs) {
    if (!stored.get(ref.id)) continue;
    const there = await dest.exists(ref, undefined, { fullCheck: false });
    if ((there & DatasetExistence.DATASTORE) === 0) wanted.push(ref);
  }
  return wanted;
}

/** `butler transfer-datasets SOURCE DEST`: copy datasets, with their files, between repositories. */
export const registerTransferDatasets: RegisterCommand = (program: Command, context) => {
  const command = program
    .command("transfer-datasets")
    .summary("Transfer datasets from a source butler to a destination butler.")
    .description(
      "Copy the datasets the query finds in SOURCE, with their files, dataset IDs and runs, into DEST (with the dimension records they need unless --no-transfer-dimensions). Datasets DEST already has, and datasets without files in SOURCE, are skipped.",
    )
    .argument("<source>", "Path of the repository to copy from.")
    .argument("<dest>", "Path of the repository to copy into.");
  datasetQueryOptions(command)
    .addOption(transferOption("How to bring the files over (direct is refused between repositories)."))
    .option("--register-dataset-types", "Register dataset types missing in DEST.")
    .option("--transfer-dimensions", "Copy the dimension records the data IDs need (default).", true)
    .option("--no-transfer-dimensions", "Do not copy dimension records (DEST must have them).")
    .option("--dry-run", "Say how many datasets would be transferred, and change nothing.", false)
    .option("--no-dry-run", "Transfer (default).")
    .action(async (source: string, dest: string, options: TransferOptions) => {
      const ctx = context();
      await withButler(source, {}, async (from) => {
        const result = await searchDatasets(from.registry, datasetSearchRequest(options));
        for (const message of result.warnings) warn(ctx, message);
        if (result.truncated) warnLimit(ctx, "datasets", -options.limit);
        const refs = result.groups.flatMap((group) => group.refs);
        const count = await withButler(dest, { writeable: !options.dryRun }, async (to) => {
          if (options.dryRun) {
            return (await plannedTransfer(from, to, refs, options.registerDatasetTypes === true)).length;
          }
          const copied = await to.transferFrom(from, refs, {
            transfer: options.transfer,
            registerDatasetTypes: options.registerDatasetTypes === true,
            transferDimensions: options.transferDimensions,
          });
          return copied.length;
        });
        ctx.stdout.write(
          `Number of datasets ${options.dryRun ? "that would be " : ""}transferred: ${count}\n`,
        );
      });
    });
};
