import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { thrown } from "../../../test/support/caught.ts";
import { ConfigError, ConflictingDefinitionError, StorageClassError } from "../../errors.ts";
import { defaultStorageClasses, StorageClassRegistry } from "./storage-class-registry.ts";

/** daf_butler's test storage classes (tests/config/basic/storageClasses.yaml), composites and parameters. */
const DAF_BUTLER_TEST_CONFIG = parse(`
storageClasses:
  StructuredDataDictYaml:
    pytype: dict
  StructuredDataListYaml:
    pytype: list
  StructuredDataJson:
    inheritsFrom: StructuredData
  StructuredData:
    pytype: examplePythonTypes.MetricsExample
    assembler: lsst.daf.butler.CompositeAssembler
    components:
      summary: StructuredDataDictYaml
      output: StructuredDataDictYaml
      data: StructuredDataListYaml
  StructuredComposite:
    inheritsFrom: StructuredData
  StructuredCompositeTestA:
    inheritsFrom: StructuredComposite
    components:
      summary: StructuredDataDictJson
  ExposureCompositeF:
    inheritsFrom: ExposureF
  ThingOne:
    pytype: dict
    parameters:
      - param1
      - param2
  ThingTwo:
    inheritsFrom: ThingOne
    parameters:
      - param3
`).storageClasses;

describe("defaultStorageClasses", () => {
  const registry = defaultStorageClasses();

  it.each([
    ["StructuredDataDict", "dict"],
    ["StructuredDataList", "list"],
    ["int", "int"],
    ["Text", "str"],
    ["Config", "lsst.pex.config.Config"],
    ["Packages", "lsst.utils.packages.Packages"],
    ["TaskMetadata", "lsst.pipe.base.TaskMetadata"],
    ["Timespan", "lsst.daf.butler.Timespan"],
    ["NumpyArray", "numpy.ndarray"],
    ["DataFrame", "pandas.core.frame.DataFrame"],
    ["ArrowTable", "pyarrow.lib.Table"],
    ["ArrowAstropy", "astropy.table.Table"],
    ["ArrowNumpy", "numpy.ndarray"],
    ["ArrowNumpyDict", "dict"],
    ["ArrowSchema", "pyarrow.Schema"],
    ["AstropyTable", "astropy.table.Table"],
    ["Exposure", "lsst.afw.image.Exposure"],
    ["ExposureF", "lsst.afw.image.ExposureF"],
    ["ImageF", "lsst.afw.image.ImageF"],
    ["MaskX", "lsst.afw.image.MaskX"],
    ["Plot", "matplotlib.figure.Figure"],
  ])("defines %s with daf_butler's pytype %s", (name, pytype) => {
    expect(registry.get(name).pytype).toBe(pytype);
  });

  it("defines table and image structure as daf_butler does", () => {
    const table = registry.get("ArrowAstropy");
    expect(table.derivedComponents).toStrictEqual({
      columns: "ArrowColumnList",
      rowcount: "int",
      schema: "ArrowAstropySchema",
    });
    expect(table.parameters).toStrictEqual(["columns", "filters"]);
    const exposure = registry.get("ExposureF");
    expect(exposure.inheritsFrom).toBe("Exposure");
    expect(exposure.components.image).toBe("ImageF");
    expect(exposure.components.wcs).toBe("Wcs");
    expect(exposure.derivedComponents.bbox).toBe("Box2I");
    expect(exposure.parameters).toStrictEqual(["bbox", "origin", "amp", "detector"]);
    expect(registry.get("ImageF").parameters).toStrictEqual(["bbox", "origin"]);
  });

  it("defines every component's storage class", () => {
    for (const name of registry.names()) {
      const storageClass = registry.get(name);
      for (const component of [
        ...Object.values(storageClass.components),
        ...Object.values(storageClass.derivedComponents),
      ]) {
        expect(registry.has(component), `${name} -> ${component}`).toBe(true);
      }
    }
  });

  it("makes a new registry each time", () => {
    const other = defaultStorageClasses();
    other.register({ name: "Mine", pytype: "dict" });
    expect(registry.has("Mine")).toBe(false);
  });
});

describe("StorageClassRegistry", () => {
  it("suggests close names for an unknown one", () => {
    const error = thrown(() => defaultStorageClasses().get("StructuredDataDic"));
    expect(error).toBeInstanceOf(StorageClassError);
    expect(error.code).toBe("StorageClassError");
    expect(error.message).toBe('Unknown storage class "StructuredDataDic"');
    expect(error.hint).toBe('Did you mean "StructuredDataDict" or "StructuredDataList"?');
  });

  it("accepts the same definition again and refuses a different one", () => {
    const registry = defaultStorageClasses();
    expect(registry.register({ name: "StructuredDataDict", pytype: "dict" })).toBe(
      registry.get("StructuredDataDict"),
    );
    const error = thrown(() => registry.register({ name: "StructuredDataDict", pytype: "list" }));
    expect(error).toBeInstanceOf(ConflictingDefinitionError);
    expect(error.message).toBe('Storage class "StructuredDataDict" is already defined differently');
    expect(error.hint).toBe("It is pytype dict; the new definition gives pytype list. Use another name.");
  });

  it("refuses a parent it does not know", () => {
    const error = thrown(() => StorageClassRegistry.empty().register({ name: "A", inheritsFrom: "B" }));
    expect(error).toBeInstanceOf(StorageClassError);
    expect(error.message).toBe('Unknown storage class "B"');
  });
});

describe("StorageClassRegistry.addFromConfig", () => {
  const registry = defaultStorageClasses();
  registry.register({ name: "StructuredDataDictJson", pytype: "dict" });
  const added = registry.addFromConfig(DAF_BUTLER_TEST_CONFIG);

  it("defines parents before children, in whatever order the section lists them", () => {
    expect(added.map((sc) => sc.name)).toStrictEqual(Object.keys(DAF_BUTLER_TEST_CONFIG));
    expect(registry.get("StructuredDataJson").ancestors).toStrictEqual(["StructuredData"]);
  });

  it("inherits pytype and components, the child's own overriding", () => {
    const composite = registry.get("StructuredCompositeTestA");
    expect(composite.pytype).toBe("examplePythonTypes.MetricsExample");
    expect(composite.ancestors).toStrictEqual(["StructuredComposite", "StructuredData"]);
    expect(composite.components).toStrictEqual({
      summary: "StructuredDataDictJson",
      output: "StructuredDataDictYaml",
      data: "StructuredDataListYaml",
    });
    expect(registry.get("ExposureCompositeF").components.image).toBe("ImageF");
  });

  it("merges parameters with the parent's", () => {
    expect(registry.get("ThingTwo").parameters).toStrictEqual(["param1", "param2", "param3"]);
  });

  it.each([
    [{ A: { pytype: "dict", delgate: "x" } }, 'storageClasses.A.delgate: unknown key "delgate"'],
    [{ A: { inheritsFrom: "Nope" } }, 'storageClasses.A.inheritsFrom: unknown storage class "Nope"'],
    [
      { A: { inheritsFrom: "B" }, B: { inheritsFrom: "A" } },
      "storageClasses.A: storage classes inherit from each other: A -> B -> A",
    ],
    [{ A: { parameters: "bbox" } }, 'storageClasses.A.parameters: expected a list, found string "bbox"'],
    [
      { A: { components: { image: 3 } } },
      "storageClasses.A.components.image: expected a string, found number 3",
    ],
  ])("refuses a malformed section, naming the path", (raw, message) => {
    const error = thrown(() => defaultStorageClasses().addFromConfig(raw));
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe(message);
  });
});
