/** fast-check settings for every property test: a pinned seed so failures reproduce. */
export const PROPERTY_OPTIONS = Object.freeze({ seed: 20_261_125, numRuns: 300 });
