// Scientific-format figures of issue 7: a 4096x4096 float32 image written and read through the butler as
// FITS, a 100x100 cutout of it (with the bytes it reads), and a 1M-row, 10-column Parquet table written,
// read whole and read for 2 columns; each beside raw fs I/O of the same bytes.
import { closeSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from "node:fs";
import { openButler } from "../src/butler/open-butler.ts";
import { DatasetType } from "../src/datasets/dataset-type.ts";
import { fitsImageFormatter } from "../src/datastore/formatters/fits/fits-image-formatters.ts";
import type { ByteSource } from "../src/datastore/formatters/formatter.ts";
import { Box } from "../src/images/box.ts";
import { Image } from "../src/images/image.ts";
import { makeTable } from "../src/tables/table.ts";
import type { Comparison } from "./harness.ts";
import { freshPath, visitDetectorRepository } from "./support/visit-detector-repository.ts";

const SIDE = 4096;
const CUT = 100;
const ROWS = 1_000_000;
const DATA_ID = { instrument: "HSC", visit: 0, detector: 0 };
const MB = 1024 * 1024;

function bigImage(): Image {
  const pixels = new Float32Array(SIDE * SIDE);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i % 65_521) * 0.25;
  return new Image({ array: pixels, width: SIDE, height: SIDE });
}

function bigTable() {
  const column = (name: string, make: (i: number) => number) => {
    const values = new Float64Array(ROWS);
    for (let i = 0; i < ROWS; i++) values[i] = make(i);
    return { name, values };
  };
  const ids = new BigInt64Array(ROWS);
  for (let i = 0; i < ROWS; i++) ids[i] = BigInt(i);
  return makeTable({
    columns: [
      { name: "id", values: ids },
      column("ra", (i) => 150 + (i % 1000) * 1e-4),
      column("dec", (i) => 2 + Math.floor(i / 1000) * 1e-4),
      ...Array.from({ length: 7 }, (_, k) => column(`flux${k}`, (i) => (i * (k + 1)) % 9973)),
    ],
  });
}

/** A byte source over a local file that counts the bytes it hands out. */
function countingSource(path: string): { source: ByteSource; read: () => number } {
  let read = 0;
  const size = statSync(path).size;
  return {
    read: () => read,
    source: {
      size: async () => size,
      read: async (start, end) => {
        const fd = openSync(path, "r");
        try {
          const bytes = new Uint8Array(Math.min(end, size) - start);
          readSync(fd, bytes, 0, bytes.length, start);
          read += bytes.length;
          return bytes;
        } finally {
          closeSync(fd);
        }
      },
      readAll: async () => {
        read += size;
        return readFileSync(path);
      },
    },
  };
}

/** The raw floor of a cutout: one positioned read per row of the box, of exactly its pixels. */
function rawCutout(path: string, dataOffset: number): () => void {
  const row = new Uint8Array(CUT * 4);
  return () => {
    const fd = openSync(path, "r");
    try {
      for (let y = 0; y < CUT; y++)
        readSync(fd, row, 0, row.length, dataOffset + ((1000 + y) * SIDE + 1000) * 4);
    } finally {
      closeSync(fd);
    }
  };
}

export async function comparisons(): Promise<Comparison[]> {
  const { registry, path: repo } = await visitDetectorRepository({ visits: 1, detectors: 1 });
  for (const [name, storageClass] of [
    ["image", "ImageF"],
    ["catalog", "ArrowAstropy"],
  ] as const) {
    await registry.datasetTypes.register(
      DatasetType.make(registry.universe, { name, dimensions: ["visit", "detector"], storageClass }),
    );
  }
  await registry.close();
  const butler = await openButler(repo, { run: "bench/formats" });
  const image = bigImage();
  const table = bigTable();
  await butler.put(image, "image", DATA_ID);
  await butler.put(table, "catalog", DATA_ID);
  const imagePath = (await butler.getURI("image", DATA_ID)).localPath as string;
  const tablePath = (await butler.getURI("catalog", DATA_ID)).localPath as string;
  const imageBytes = readFileSync(imagePath);
  const tableBytes = readFileSync(tablePath);
  const box = new Box(1000, 1000, 1000 + CUT - 1, 1000 + CUT - 1);
  const counted = countingSource(imagePath);
  await fitsImageFormatter.read(counted.source, { parameters: { bbox: box }, storageClass: "ImageF" });
  const cutoutBytes = counted.read();
  const dataOffset = imageBytes.length - SIDE * SIDE * 4 - ((2880 - ((SIDE * SIDE * 4) % 2880)) % 2880);
  const scratch = freshPath();
  let round = 0;
  const rawWrite = (bytes: Uint8Array) => () => {
    const target = `${scratch}-${round++}`;
    writeFileSync(`${target}.tmp`, bytes);
    renameSync(`${target}.tmp`, target);
  };
  let run = 0;
  const putInto = (type: string, object: unknown) => async () => {
    const name = `bench/put${run++}`;
    await butler.registry.collections.register(name, "RUN");
    await butler.put(object, type, DATA_ID, { run: name });
  };
  const mb = (n: number) => `${(n / MB).toFixed(1)} MB`;
  return [
    {
      figure: `put a ${SIDE}x${SIDE} float32 image (ImageF as FITS, ${mb(imageBytes.length)})`,
      iterations: 5,
      timeMs: 1,
      butler: { name: "butler.put", run: putInto("image", image) },
      floor: { name: "writeFileSync(tmp) + renameSync of the FITS bytes", run: rawWrite(imageBytes) },
    },
    {
      figure: `get the ${SIDE}x${SIDE} float32 image`,
      iterations: 10,
      timeMs: 1,
      butler: { name: "butler.get", run: () => butler.get("image", DATA_ID) },
      floor: { name: "readFileSync of the file", run: () => readFileSync(imagePath) },
    },
    {
      figure: `get a ${CUT}x${CUT} cutout (reads ${(cutoutBytes / 1024).toFixed(1)} KB = ${((100 * cutoutBytes) / imageBytes.length).toFixed(3)}% of the file)`,
      iterations: 200,
      timeMs: 1,
      butler: {
        name: "butler.get(bbox)",
        run: () => butler.get("image", DATA_ID, { parameters: { bbox: box } }),
      },
      floor: { name: `${CUT} positioned reads of one row each`, run: rawCutout(imagePath, dataOffset) },
    },
    {
      figure: `put a ${ROWS.toLocaleString("en-US")}-row, 10-column table (ArrowAstropy as Parquet, ${mb(tableBytes.length)})`,
      iterations: 3,
      timeMs: 1,
      butler: { name: "butler.put", run: putInto("catalog", table) },
      floor: { name: "writeFileSync(tmp) + renameSync of the Parquet bytes", run: rawWrite(tableBytes) },
    },
    {
      figure: `get the ${ROWS.toLocaleString("en-US")}-row table, all 10 columns`,
      iterations: 3,
      timeMs: 1,
      butler: { name: "butler.get", run: () => butler.get("catalog", DATA_ID) },
      floor: { name: "readFileSync of the file", run: () => readFileSync(tablePath) },
    },
    {
      figure: `get the ${ROWS.toLocaleString("en-US")}-row table, 2 columns`,
      iterations: 5,
      timeMs: 1,
      butler: {
        name: "butler.get(columns)",
        run: () => butler.get("catalog", DATA_ID, { parameters: { columns: ["ra", "dec"] } }),
      },
      floor: { name: "readFileSync of the file", run: () => readFileSync(tablePath) },
    },
  ];
}
