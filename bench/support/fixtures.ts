import { join } from "node:path";

/** daf_butler's `hsc-rc2-subset.yaml` export in `../shared` (the benches skip their figure when it is absent). */
export const HSC_EXPORT = join(
  new URL("../..", import.meta.url).pathname,
  "..",
  "shared",
  "fixtures",
  "daf_butler",
  "registry_data",
  "hsc-rc2-subset.yaml",
);
