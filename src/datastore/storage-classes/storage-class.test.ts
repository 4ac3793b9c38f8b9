import { describe, expect, it } from "vitest";
import { thrown } from "../../../test/support/caught.ts";
import { MissingDependencyError, StorageClassError, UnknownComponentError } from "../../errors.ts";
import { Exposure } from "../../images/exposure.ts";
import { Image } from "../../images/image.ts";
import { defaultStorageClasses } from "./storage-class-registry.ts";

const registry = defaultStorageClasses();
registry.addFromConfig({
  StructuredComposite: {
    pytype: "examplePythonTypes.MetricsExample",
    components: { summary: "StructuredDataDict", output: "StructuredDataDict", data: "StructuredDataList" },
  },
  ThingOne: { pytype: "dict", parameters: ["param1", "param2"] },
});
const sc = (name: string) => registry.get(name);

describe("StorageClass.validate", () => {
  it.each([
    ["StructuredDataDict", { a: 1 }],
    ["StructuredDataDict", Object.create(null)],
    ["StructuredDataList", [1, "a"]],
    ["int", 42],
    ["Text", "hello"],
    ["Packages", { numpy: "1.26.4" }],
    ["TaskMetadata", { scalars: { a: 1 }, arrays: {}, metadata: {} }],
    ["ExposureF", new Exposure({ image: Image.zeros("float32", 2, 1) })],
    ["Timespan", [0, 1]],
  ])("accepts a fitting %s", (name, object) => {
    expect(() => sc(name).validate(object)).not.toThrow();
  });

  it.each([
    [
      "StructuredDataDict",
      [1, 2],
      'Storage class "StructuredDataDict" expects a mapping (a plain object, like Python\'s dict); got an array',
    ],
    [
      "StructuredDataDict",
      new Map(),
      'Storage class "StructuredDataDict" expects a mapping (a plain object, like Python\'s dict); got a Map',
    ],
    [
      "StructuredDataList",
      { a: 1 },
      'Storage class "StructuredDataList" expects a list (an array); got a plain object',
    ],
    [
      "int",
      1.5,
      'Storage class "int" expects an integer (a number without fraction, at most 2^53 in size); got 1.5',
    ],
    ["Text", 3, 'Storage class "Text" expects a string; got 3'],
    [
      "Packages",
      { numpy: 1 },
      'Storage class "Packages" expects a mapping of package names to version strings; got a plain object',
    ],
    [
      "StructuredComposite",
      "x",
      'Storage class "StructuredComposite" expects a plain object holding the components of a examplePythonTypes.MetricsExample; got "x"',
    ],
  ])("refuses %s given %o, saying what it expected and got", (name, object, message) => {
    const error = thrown(() => sc(name).validate(object));
    expect(error).toBeInstanceOf(StorageClassError);
    expect(error.code).toBe("StorageClassError");
    expect(error.message).toBe(message);
    expect(error.hint).toMatch(/^Pass /);
  });
});

describe("StorageClass.getComponent", () => {
  const metrics = { summary: { n: 3 }, output: { ok: true }, data: [1, 2, 3] };

  it("takes read/write components of a composite by name", () => {
    const composite = sc("StructuredComposite");
    expect(composite.isComposite()).toBe(true);
    expect(composite.getComponent(metrics, "data")).toStrictEqual([1, 2, 3]);
    expect(composite.getComponent({ summary: {} }, "output")).toBeNull();
    expect(composite.componentStorageClass("summary")).toBe("StructuredDataDict");
    expect(sc("ExposureF").componentStorageClass("bbox")).toBe("Box2I");
  });

  it("refuses an unknown component, listing the components", () => {
    const error = thrown(() => sc("StructuredComposite").getComponent(metrics, "dat"));
    expect(error).toBeInstanceOf(UnknownComponentError);
    expect(error.code).toBe("UnknownComponentError");
    expect(error.message).toBe('Storage class "StructuredComposite" has no component "dat"');
    expect(error.hint).toBe('Did you mean "data"? Its components: summary, output, data.');
    expect(thrown(() => sc("StructuredDataDict").componentStorageClass("x")).hint).toBe(
      "It has no components.",
    );
  });

  it("refuses a component of something that cannot hold one", () => {
    const error = thrown(() => sc("StructuredComposite").getComponent(5, "data"));
    expect(error).toBeInstanceOf(StorageClassError);
    expect(error.message).toMatch(/^Cannot take component "data" of 5/);
  });

  it("says it cannot compute derived components yet", () => {
    const error = thrown(() => sc("ArrowAstropy").getComponent({}, "rowcount"));
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error.message).toBe(
      'butler-ts cannot compute derived component "rowcount" of storage class "ArrowAstropy" yet',
    );
  });
});

describe("StorageClass.applyParameters", () => {
  it("gives the object back when no parameter is given", () => {
    const object = { a: 1 };
    expect(sc("StructuredDataDict").applyParameters(object, {})).toBe(object);
    expect(sc("StructuredDataDict").applyParameters(object, { columns: undefined })).toBe(object);
  });

  it("refuses an unknown parameter, naming the allowed ones", () => {
    const error = thrown(() => sc("ArrowAstropy").applyParameters({}, { column: ["a"] }));
    expect(error).toBeInstanceOf(StorageClassError);
    expect(error.message).toBe('Storage class "ArrowAstropy" has no read parameter "column"');
    expect(error.hint).toBe('Did you mean "columns"? Its parameters: columns, filters.');
    expect(thrown(() => sc("StructuredDataDict").applyParameters({}, { bbox: 1 })).hint).toBe(
      "It takes no read parameters.",
    );
  });

  it("says it cannot apply a known parameter to a type it does not model", () => {
    const error = thrown(() => sc("ThingOne").applyParameters({}, { param1: 1, param2: 2 }));
    expect(error).toBeInstanceOf(MissingDependencyError);
    expect(error.message).toBe(
      'butler-ts cannot apply read parameters "param1", "param2" to storage class "ThingOne" (dict) yet',
    );
  });
});

describe("StorageClass conversions", () => {
  const metadata = {
    scalars: { a: 1 },
    arrays: { b: [1, 2] },
    metadata: { sub: { scalars: { c: "x" }, arrays: {}, metadata: {} } },
  };

  it("converts TaskMetadata to StructuredDataDict as TaskMetadata.to_dict() does", () => {
    expect(sc("TaskMetadata").canConvertTo(sc("StructuredDataDict"))).toBe(true);
    expect(sc("TaskMetadata").convertTo(metadata, sc("StructuredDataDict"))).toStrictEqual({
      a: 1,
      b: [1, 2],
      sub: { c: "x" },
    });
  });

  it("converts between classes of the same pytype, to an ancestor, and between Packages and dicts", () => {
    const object = { a: "1" };
    expect(sc("StructuredDataDict").convertTo(object, sc("ArrowNumpyDict"))).toBe(object);
    expect(sc("ExposureF").canConvertTo(sc("Exposure"))).toBe(true);
    expect(sc("Packages").convertTo(object, sc("StructuredDataDict"))).toBe(object);
    expect(sc("StructuredDataDict").convertTo(object, sc("Packages"))).toBe(object);
  });

  it("refuses a conversion it does not know, and a converted object that does not fit", () => {
    expect(sc("StructuredDataList").canConvertTo(sc("StructuredDataDict"))).toBe(false);
    const error = thrown(() => sc("StructuredDataList").convertTo([], sc("StructuredDataDict")));
    expect(error).toBeInstanceOf(StorageClassError);
    expect(error.message).toBe(
      'Cannot convert storage class "StructuredDataList" (list) to "StructuredDataDict" (dict)',
    );
    expect(thrown(() => sc("StructuredDataDict").convertTo({ a: 1 }, sc("Packages"))).message).toMatch(
      /^Storage class "Packages" expects a mapping of package names to version strings/,
    );
  });

  it("coerces a put object: fitting objects as they are, convertible ones converted", () => {
    const dict = { a: 1 };
    expect(sc("StructuredDataDict").coerce(dict)).toBe(dict);
    expect(sc("StructuredDataDict").coerce(metadata)).toBe(metadata);
    expect(thrown(() => sc("StructuredDataDict").coerce("x")).message).toMatch(/expects a mapping/);
  });
});

describe("StorageClass definitions", () => {
  it("are frozen", () => {
    const dict = sc("StructuredDataDict");
    expect(Object.isFrozen(dict)).toBe(true);
    expect(Object.isFrozen(dict.parameters)).toBe(true);
    expect(Object.isFrozen(sc("ExposureF").components)).toBe(true);
  });
});
