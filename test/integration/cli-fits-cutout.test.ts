import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { main } from "../../src/cli/main.ts";
import { fitsExposureFormatter } from "../../src/datastore/formatters/fits/fits-image-formatters.ts";
import { Exposure } from "../../src/images/exposure.ts";
import { Image } from "../../src/images/image.ts";
import { PropertyList } from "../../src/images/property-list.ts";
import { SkyWcs } from "../../src/images/sky-wcs.ts";
import { byteSource } from "../support/byte-source.ts";
import { createCam1Repository } from "../support/cam1-repo.ts";
import { captureStreams } from "../support/capture.ts";
import { describeWithFixtures } from "../support/shared-fixtures.ts";
import { tempDir } from "../support/temp-repo.ts";

async function butler(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureStreams();
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describeWithFixtures("butler put and get of FITS exposures", () => {
  let dir: { path: string; cleanup: () => void };
  let repo: string;
  const file = (name: string) => join(dir.path, name);
  const exposure = new Exposure({
    image: new Image({
      array: new Float32Array(64 * 48).map((_, i) => i),
      width: 64,
      height: 48,
      xy0: { x: 100, y: 200 },
    }),
    metadata: new PropertyList().with("EXPTIME", 30.5),
    wcs: new SkyWcs({
      crpix: [130, 220],
      crval: [150.1, 2.2],
      cd: [
        [-5.5e-5, 0],
        [0, 5.5e-5],
      ],
    }),
  });

  beforeAll(async () => {
    dir = tempDir("butler-fits-");
    repo = file("repo");
    await createCam1Repository(repo, { calexp: "ExposureF" });
    writeFileSync(file("calexp.fits"), await fitsExposureFormatter.write(exposure));
    const put = await butler(
      "put",
      repo,
      "calexp",
      "run1",
      file("calexp.fits"),
      "--data-id",
      "instrument=Cam1,detector=1",
    );
    expect(put.code, put.err).toBe(0);
  });

  afterAll(() => dir?.cleanup());

  it("get --parameter bbox=... --output cut.fits writes the cutout as FITS", async () => {
    const get = await butler(
      "get",
      repo,
      "calexp",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run1",
      "--parameter",
      "bbox=110,210,119,214",
      "--output",
      file("cut.fits"),
    );
    expect(get.code, get.err).toBe(0);
    const cut = (await fitsExposureFormatter.read(byteSource(readFileSync(file("cut.fits"))))) as Exposure;
    expect(cut.bbox.toString()).toBe("110,210,119,214");
    expect(cut.image.get(110, 210)).toBe(exposure.image.get(110, 210));
    expect(cut.wcs?.pixelToSky(115, 212)).toEqual(exposure.wcs?.pixelToSky(115, 212));
    expect(cut.metadata.get("EXPTIME")).toBe(30.5);
  });

  it("get prints header-only components as JSON", async () => {
    const get = await butler(
      "get",
      repo,
      "calexp.bbox",
      "--data-id",
      "instrument=Cam1,detector=1",
      "--collections",
      "run1",
    );
    expect(get.code, get.err).toBe(0);
    expect(JSON.parse(get.out)).toEqual({ x0: 100, y0: 200, x1: 163, y1: 247 });
  });
});
