import { describe, expect, it } from "vitest";
import { thrown } from "../../test/support/caught.ts";
import { ArgumentError } from "../errors.ts";
import { Box } from "./box.ts";
import { Exposure } from "./exposure.ts";
import { Image } from "./image.ts";
import { DEFAULT_MASK_PLANES, Mask } from "./mask.ts";
import { PropertyList } from "./property-list.ts";
import { SkyWcs } from "./sky-wcs.ts";

const ramp = (width: number, height: number, xy0 = { x: 0, y: 0 }) =>
  new Image({ array: new Float32Array(width * height).map((_, i) => i), width, height, xy0 });

describe("Image", () => {
  it("holds pixels row-major in parent coordinates", () => {
    const image = ramp(4, 3, { x: 10, y: 20 });
    expect([image.dtype, image.bbox.toString()]).toEqual(["float32", "10,20,13,22"]);
    expect(image.get(11, 21)).toBe(5);
    expect(image.get(1, 1, "LOCAL")).toBe(5);
    expect(thrown(() => image.get(0, 0)).message).toBe("Pixel (0, 0) PARENT is outside image 10,20,13,22");
  });

  it("cuts a subimage in PARENT or LOCAL coordinates, keeping the parent position", () => {
    const image = ramp(4, 3, { x: 10, y: 20 });
    const cut = image.subimage(new Box(11, 21, 12, 22));
    expect([cut.xy0, [...cut.array]]).toEqual([{ x: 11, y: 21 }, [5, 6, 9, 10]]);
    expect(image.subimage(new Box(1, 1, 2, 2), "LOCAL")).toEqual(cut);
  });

  it("refuses a box outside the image and bad arrays", () => {
    const error = thrown(() => ramp(4, 3).subimage(new Box(2, 0, 4, 0)));
    expect(error).toBeInstanceOf(ArgumentError);
    expect(error.message).toBe("Box 2,0,4,0 (PARENT) is not inside the image, whose box is 0,0,3,2 (PARENT)");
    expect(thrown(() => new Image({ array: new Float32Array(5), width: 2, height: 2 })).message).toBe(
      "Image of 2x2 pixels cannot hold an array of 5",
    );
    expect(thrown(() => new Image({ array: [1] as never, width: 1, height: 1 })).message).toBe(
      "Image pixels must be a typed array (Float32Array, ...)",
    );
  });
});

describe("Mask", () => {
  it("names its bit planes and keeps them in a cut", () => {
    const mask = Mask.blank(3, 3, { x: 1, y: 1 });
    expect(mask.planes).toEqual(DEFAULT_MASK_PLANES);
    expect(mask.bitmask("BAD", "SAT", "NO_DATA")).toBe(0b1_0000_0011);
    const cut = mask.subimage(new Box(2, 2, 3, 3));
    expect(cut).toBeInstanceOf(Mask);
    expect(cut.planes).toEqual(DEFAULT_MASK_PLANES);
    expect(thrown(() => mask.bitmask("NOPE")).message).toBe('Mask has no plane "NOPE"');
  });
});

describe("Exposure", () => {
  it("cuts every plane and keeps metadata and WCS", () => {
    const image = ramp(10, 10, { x: 100, y: 100 });
    const wcs = new SkyWcs({
      crpix: [105, 105],
      crval: [10, 20],
      cd: [
        [-1e-4, 0],
        [0, 1e-4],
      ],
    });
    const exposure = new Exposure({
      image,
      mask: Mask.blank(10, 10, { x: 100, y: 100 }),
      metadata: PropertyList.fromObject({ A: 1 }),
      wcs,
    });
    const cut = exposure.subimage(Box.parse("102,103,104,105"));
    expect([cut.bbox.toString(), cut.xy0, cut.dimensions]).toEqual([
      "102,103,104,105",
      { x: 102, y: 103 },
      { x: 3, y: 3 },
    ]);
    expect([cut.mask?.bbox.toString(), cut.variance, cut.metadata, cut.wcs]).toEqual([
      "102,103,104,105",
      null,
      exposure.metadata,
      wcs,
    ]);
    expect(thrown(() => new Exposure({ image, mask: Mask.blank(10, 10) })).message).toBe(
      "The mask box 0,0,9,9 differs from the image box 100,100,109,109",
    );
  });
});
