import type { RegisterCommand } from "./command-kit.ts";
import { registerAssociate } from "./commands/associate.ts";
import { registerCertifyCalibrations } from "./commands/certify-calibrations.ts";
import { registerCollectionChain } from "./commands/collection-chain.ts";
import { registerConfigDump } from "./commands/config-dump.ts";
import { registerCreate } from "./commands/create.ts";
import { registerDemo } from "./commands/demo.ts";
import { registerExport } from "./commands/export.ts";
import { registerFsck } from "./commands/fsck.ts";
import { registerGet } from "./commands/get.ts";
import { registerImport } from "./commands/import.ts";
import { registerIngestFiles } from "./commands/ingest-files.ts";
import { registerPruneDatasets } from "./commands/prune-datasets.ts";
import { registerPut } from "./commands/put.ts";
import { registerQueryCalibrationHistory } from "./commands/query-calibration-history.ts";
import { registerQueryCollections } from "./commands/query-collections.ts";
import { registerQueryDataIds } from "./commands/query-data-ids.ts";
import { registerQueryDatasetTypes } from "./commands/query-dataset-types.ts";
import { registerQueryDatasets } from "./commands/query-datasets.ts";
import { registerQueryDimensionRecords } from "./commands/query-dimension-records.ts";
import { registerRegisterDatasetType } from "./commands/register-dataset-type.ts";
import { registerRemoveCollections } from "./commands/remove-collections.ts";
import { registerRemoveDatasetType } from "./commands/remove-dataset-type.ts";
import { registerRemoveRuns } from "./commands/remove-runs.ts";
import { registerRetrieveArtifacts } from "./commands/retrieve-artifacts.ts";
import { registerTransferDatasets } from "./commands/transfer-datasets.ts";

/** Every verb of the `butler` command, in the order `--help` lists them. */
export const VERBS: readonly RegisterCommand[] = Object.freeze([
  registerAssociate,
  registerCertifyCalibrations,
  registerCollectionChain,
  registerConfigDump,
  registerCreate,
  registerDemo,
  registerExport,
  registerFsck,
  registerGet,
  registerImport,
  registerIngestFiles,
  registerPruneDatasets,
  registerPut,
  registerQueryCalibrationHistory,
  registerQueryCollections,
  registerQueryDataIds,
  registerQueryDatasetTypes,
  registerQueryDatasets,
  registerQueryDimensionRecords,
  registerRegisterDatasetType,
  registerRemoveCollections,
  registerRemoveDatasetType,
  registerRemoveRuns,
  registerRetrieveArtifacts,
  registerTransferDatasets,
]);
