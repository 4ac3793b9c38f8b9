import YAML from "yaml";
import { parseYaml } from "../src/config/read-yaml.ts";
import { defaultUniverse } from "../src/dimensions/default-universe.ts";
import { standardizeDataId } from "../src/dimensions/standardize-data-id.ts";
import { DimensionUniverse } from "../src/dimensions/universe.ts";
import type { Comparison } from "./harness.ts";

/** Universe loading and data ID standardization (issue 3's figures). */
export function comparisons(): Comparison[] {
  const universe = defaultUniverse();
  const document = universe.config.document;
  const yamlText = YAML.stringify(document);
  const jsonText = JSON.stringify(document);
  const visitDetector = universe.conform(["visit", "detector"]);
  const dataId = { instrument: "HSC", visit: 903334, detector: 16 };
  const cliDataId = { instrument: "HSC", visit: "903334", detector: "16", band: "r" };
  const readRequiredValues = {
    name: "freeze required values read from the mapping",
    run: () => Object.freeze([dataId.instrument, dataId.detector, dataId.visit]),
  };
  return [
    {
      figure: "universe load from dimensions.yaml text",
      butler: {
        name: "DimensionUniverse.fromDocument(parseYaml(text))",
        run: () => DimensionUniverse.fromDocument(parseYaml(yamlText, "bench")),
      },
      floor: { name: "YAML.parse(text) alone", run: () => YAML.parse(yamlText) },
    },
    {
      figure: "universe load from config:dimensions.json",
      butler: {
        name: "DimensionUniverse.fromDocument(JSON.parse(text))",
        run: () => DimensionUniverse.fromDocument(JSON.parse(jsonText)),
      },
      floor: { name: "JSON.parse(text) alone", run: () => JSON.parse(jsonText) },
    },
    {
      figure: "standardize {instrument, visit, detector}",
      butler: {
        name: "standardizeDataId(universe, mapping)",
        run: () => standardizeDataId(universe, dataId),
      },
      floor: readRequiredValues,
    },
    {
      figure: "standardize with known dimensions",
      butler: {
        name: "standardizeDataId(universe, mapping, {dimensions})",
        run: () => standardizeDataId(universe, dataId, { dimensions: visitDetector }),
      },
      floor: readRequiredValues,
    },
    {
      figure: "standardize CLI strings (parse ints, drop extras)",
      butler: {
        name: "standardizeDataId(universe, strings, {dimensions})",
        run: () => standardizeDataId(universe, cliDataId, { dimensions: visitDetector }),
      },
      floor: {
        name: "Number() the strings and freeze",
        run: () => Object.freeze([cliDataId.instrument, Number(cliDataId.detector), Number(cliDataId.visit)]),
      },
    },
  ];
}
