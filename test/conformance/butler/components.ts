import { describe, expect } from "vitest";
import {
  DatasetNotFoundError,
  MissingDependencyError,
  StorageClassError,
  UnknownComponentError,
} from "../../../src/errors.ts";
import { type ButlerSuiteConfig, det, expectFailure, suiteTools } from "./target.ts";

const COMPOSITE = { summary: { seeing: 0.7 }, values: [1, 2, 3] };
const METADATA = { scalars: { a: 1 }, arrays: { b: [1, 2] }, metadata: { inner: { scalars: { c: 3 } } } };

/** Reading parts and other forms of a dataset: components, parameters, storage class overrides, deferred reads. */
export function describeComponents(config: ButlerSuiteConfig): void {
  const { test, writer } = suiteTools(config);

  describe("components, parameters and storage classes", () => {
    test("get() of `type.component` returns that component", async () => {
      const { butler } = await writer();
      await butler.put(COMPOSITE, "composite", det(1));
      expect(await butler.get("composite.summary", det(1))).toEqual({ seeing: 0.7 });
      expect(await butler.get("composite.values", det(1))).toEqual([1, 2, 3]);
    });

    test("a component the object lacks reads as null", async () => {
      const { butler } = await writer();
      await butler.put({ summary: { a: 1 } }, "composite", det(1));
      expect(await butler.get("composite.values", det(1))).toBeNull();
    });

    test("get() of an unknown component fails with UnknownComponentError listing the components", async () => {
      const { butler } = await writer();
      await butler.put(COMPOSITE, "composite", det(1));
      const error = await expectFailure(
        butler.get("composite.sumary", det(1)),
        UnknownComponentError,
        'Storage class "SuiteComposite" has no component "sumary"',
      );
      expect(error.hint).toMatch(/summary/);
      expect(error.hint).toMatch(/Its components: summary, values\./);
    });

    test("a storage class without components has no component to read", async () => {
      const { butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      await expectFailure(
        butler.get("notes.a", det(1)),
        UnknownComponentError,
        'Storage class "StructuredDataDict" has no component "a"',
      );
    });

    test("get() with a parameter the storage class does not have fails with StorageClassError", async () => {
      const { butler } = await writer();
      await butler.put(COMPOSITE, "composite", det(1));
      const error = await expectFailure(
        butler.get("composite", det(1), { parameters: { slise: 2 } }),
        StorageClassError,
        'Storage class "SuiteComposite" has no read parameter "slise"',
      );
      expect(error.hint).toMatch(/Its parameters: slice\./);
    });

    test("get() with a parameter of a storage class that takes none fails with StorageClassError", async () => {
      const { butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      const error = await expectFailure(
        butler.get("notes", det(1), { parameters: { columns: ["a"] } }),
        StorageClassError,
        'Storage class "StructuredDataDict" has no read parameter "columns"',
      );
      expect(error.hint).toBe("It takes no read parameters.");
    });

    test("get() with a declared parameter butler-ts cannot apply says so", async () => {
      const { butler } = await writer();
      await butler.put(COMPOSITE, "composite", det(1));
      await expectFailure(
        butler.get("composite", det(1), { parameters: { slice: 2 } }),
        MissingDependencyError,
        'butler-ts cannot apply read parameter "slice" to storage class "SuiteComposite" (dict) yet',
      );
    });

    test("get() with undefined parameter values reads the whole object", async () => {
      const { butler } = await writer();
      await butler.put(COMPOSITE, "composite", det(1));
      expect(await butler.get("composite", det(1), { parameters: { slice: undefined } })).toEqual(COMPOSITE);
    });

    test("get() with another storage class converts the object (TaskMetadata as a mapping)", async () => {
      const { butler } = await writer();
      await butler.put(METADATA, "metadata", det(1));
      expect(await butler.get("metadata", det(1))).toEqual(METADATA);
      expect(await butler.get("metadata", det(1), { storageClass: "StructuredDataDict" })).toEqual({
        a: 1,
        b: [1, 2],
        inner: { c: 3 },
      });
    });

    test("get() with a storage class the dataset cannot become fails with StorageClassError", async () => {
      const { butler } = await writer();
      await butler.put({ a: 1 }, "notes", det(1));
      await expectFailure(
        butler.get("notes", det(1), { storageClass: "StructuredDataList" }),
        StorageClassError,
        'Cannot convert storage class "StructuredDataDict" (dict) to "StructuredDataList" (list)',
      );
    });

    test("getDeferred() finds now and reads later, what is stored at read time", async () => {
      const { butler } = await writer();
      await butler.put(COMPOSITE, "composite", det(1));
      const handle = await butler.getDeferred("composite", det(1));
      expect(handle.ref.datasetType.name).toBe("composite");
      expect(handle.dataId.required).toEqual(det(1));
      expect(await handle.get()).toEqual(COMPOSITE);
      expect(await handle.get({ component: "values" })).toEqual([1, 2, 3]);
    });

    test("getDeferred() of a missing dataset fails at once with DatasetNotFoundError", async () => {
      const { butler } = await writer();
      await expectFailure(butler.getDeferred("notes", det(2)), DatasetNotFoundError, /notes.*detector: 2/);
    });

    test("getDeferred() keeps the parameters and storage class of the call for the later read", async () => {
      const { butler } = await writer();
      await butler.put(COMPOSITE, "composite", det(1));
      await butler.put(METADATA, "metadata", det(1));
      const bad = await butler.getDeferred("composite", det(1), { parameters: { slise: 1 } });
      await expectFailure(
        bad.get(),
        StorageClassError,
        'Storage class "SuiteComposite" has no read parameter "slise"',
      );
      const applied = await butler.getDeferred("composite", det(1), { parameters: { slice: 1 } });
      await expectFailure(applied.get(), MissingDependencyError, /read parameter "slice"/);
      const converted = await butler.getDeferred("metadata", det(1), { storageClass: "StructuredDataDict" });
      expect(await converted.get()).toEqual({ a: 1, b: [1, 2], inner: { c: 3 } });
      expect(await converted.get({ storageClass: "TaskMetadata" })).toEqual(METADATA);
    });

    test("getDeferred() of a component reads only the component", async () => {
      const { butler } = await writer();
      await butler.put(COMPOSITE, "composite", det(1));
      const handle = await butler.getDeferred("composite.summary", det(1));
      expect(await handle.get()).toEqual({ seeing: 0.7 });
    });
  });
}
