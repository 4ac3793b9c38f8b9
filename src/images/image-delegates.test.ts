import { describe, expect, it } from "vitest";
import { Box } from "./box.ts";
import { Exposure } from "./exposure.ts";
import { Image } from "./image.ts";
import { IMAGE_DELEGATES } from "./image-delegates.ts";
import { Mask } from "./mask.ts";
import { PropertyList } from "./property-list.ts";

const delegate = (pytype: string) => IMAGE_DELEGATES[pytype] as NonNullable<(typeof IMAGE_DELEGATES)[string]>;

describe("IMAGE_DELEGATES", () => {
  const exposure = new Exposure({ image: Image.zeros("float32", 10, 8, { x: 5, y: 6 }) });

  it("accept the in-memory types of afw's image pytypes, by pixel type where afw has one", () => {
    expect(delegate("lsst.afw.image.ImageF").accepts(exposure.image)).toBe(true);
    expect(delegate("lsst.afw.image.ImageU").accepts(exposure.image)).toBe(false);
    expect(delegate("lsst.afw.image.Image").accepts(Mask.blank(1, 1))).toBe(false);
    expect(delegate("lsst.afw.image.MaskX").accepts(Mask.blank(1, 1))).toBe(true);
    expect(delegate("lsst.afw.image.Exposure").accepts(exposure)).toBe(true);
    expect(delegate("lsst.afw.image.Exposure").accepts({ image: exposure.image })).toBe(false);
    expect(delegate("lsst.geom.Box2I").accepts(new Box(0, 0, 1, 1))).toBe(true);
  });

  it("derive bbox, dimensions and xy0, and apply bbox and origin", () => {
    const exposures = delegate("lsst.afw.image.Exposure");
    expect(exposures.derive?.(exposure, "bbox")).toEqual(new Box(5, 6, 14, 13));
    expect(exposures.derive?.(exposure, "dimensions")).toEqual({ x: 10, y: 8 });
    expect(exposures.derive?.(exposure, "xy0")).toEqual({ x: 5, y: 6 });
    const cut = exposures.applyParameters?.(exposure, { bbox: "0,0,1,1", origin: "LOCAL" }) as Exposure;
    expect(cut.bbox).toEqual(new Box(5, 6, 6, 7));
    expect(exposures.applyParameters?.(exposure, { origin: "LOCAL" })).toBe(exposure);
  });
});

describe("PropertyList", () => {
  it("keeps order and comments, replaces in place, and writes big integers to JSON as strings", () => {
    const list = new PropertyList([
      { key: "COMMENT", comment: "c" },
      { key: "a", value: 1, comment: "one" },
    ])
      .with("B", 2n ** 60n)
      .with("A", 5);
    expect(list.entries.map((e) => e.key)).toEqual(["COMMENT", "A", "B"]);
    expect([list.get("a"), list.getComment("A"), list.keys()]).toEqual([5, "one", ["A", "B"]]);
    expect(JSON.stringify(list)).toBe('{"A":5,"B":"1152921504606846976"}');
    expect(list.without("a").has("A")).toBe(false);
  });
});
