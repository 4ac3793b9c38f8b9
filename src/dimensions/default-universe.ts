import defaultDocument from "./default-universe.json" with { type: "json" };
import { DimensionUniverse } from "./universe.ts";

let cached: DimensionUniverse | undefined;

/**
 * daf_butler's default dimension universe (namespace `daf_butler`, version 8), shipped with butler-ts.
 * Built once per process on first use.
 * @example defaultUniverse().conform(["visit", "detector"])
 */
export function defaultUniverse(): DimensionUniverse {
  cached ??= DimensionUniverse.fromDocument(defaultDocument);
  return cached;
}
