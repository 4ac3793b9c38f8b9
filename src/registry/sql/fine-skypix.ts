import { SkyPixDimension } from "../../dimensions/elements.ts";
import type { DimensionUniverse } from "../../dimensions/universe.ts";
import { ConfigError } from "../../errors.ts";

/**
 * The `butler_attributes` key of a repository's fine skypix level (butler-ts's; daf_butler ignores it):
 * its overlap tables hold rows at that level beside the common one's, and region literals are looked up
 * there, so that dense regions give fewer candidates to refine.
 */
export const FINE_SKYPIX_ATTRIBUTE = "butler_ts:fine_skypix";

/** How many levels finer than the common one a fine level may be (each adds about 4× the rows). */
const MAX_EXTRA_LEVELS = 4;

/**
 * The fine skypix dimension named: of the common skypix system, 1 to 4 levels finer than the common one.
 * @throws {ConfigError} for another dimension, system or level.
 */
export function fineSkyPixOf(universe: DimensionUniverse, name: string): SkyPixDimension {
  const common = universe.commonSkyPix;
  const allowed = Array.from(
    { length: MAX_EXTRA_LEVELS },
    (_, i) => `${common.system}${common.level + i + 1}`,
  );
  const dimension = universe.dimensions.find((d) => d.name === name);
  if (
    !(dimension instanceof SkyPixDimension) ||
    dimension.system !== common.system ||
    dimension.level <= common.level ||
    dimension.level > common.level + MAX_EXTRA_LEVELS
  ) {
    throw new ConfigError(
      `"${name}" cannot be the fine skypix level of a repository with common skypix ${common.name}`,
      {
        hint: `Use one of ${allowed.join(", ")}.`,
      },
    );
  }
  return dimension;
}
