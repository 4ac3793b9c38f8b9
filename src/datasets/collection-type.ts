/** The four kinds of collection. */
export type CollectionType = "RUN" | "TAGGED" | "CHAINED" | "CALIBRATION";

/** Every collection type, in daf_butler's numbering order. */
export const COLLECTION_TYPES: readonly CollectionType[] = Object.freeze([
  "RUN",
  "TAGGED",
  "CHAINED",
  "CALIBRATION",
]);

/** The integer a registry stores for a collection type (RUN=1 ... CALIBRATION=4). */
export function collectionTypeCode(type: CollectionType): number {
  return COLLECTION_TYPES.indexOf(type) + 1;
}

/** The collection type of a stored integer, or undefined for an unknown code. */
export function collectionTypeFromCode(code: number): CollectionType | undefined {
  return COLLECTION_TYPES[code - 1];
}
