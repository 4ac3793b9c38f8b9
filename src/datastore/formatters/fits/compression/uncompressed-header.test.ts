import { describe, expect, it } from "vitest";
import type { FitsCard } from "../fits-types.ts";
import { headerParts, uncompressedHeader } from "./uncompressed-header.ts";

const compressed: FitsCard[] = [
  { key: "XTENSION", value: "BINTABLE" },
  { key: "BITPIX", value: 8 },
  { key: "NAXIS", value: 2 },
  { key: "NAXIS1", value: 8 },
  { key: "NAXIS2", value: 4 },
  { key: "PCOUNT", value: 100 },
  { key: "GCOUNT", value: 1 },
  { key: "TFIELDS", value: 1 },
  { key: "TTYPE1", value: "COMPRESSED_DATA" },
  { key: "TFORM1", value: "1PB(40)" },
  { key: "ZIMAGE", value: true },
  { key: "ZSIMPLE", value: true },
  { key: "ZBITPIX", value: 16, comment: "data type of original image" },
  { key: "ZNAXIS", value: 2 },
  { key: "ZNAXIS1", value: 10 },
  { key: "ZNAXIS2", value: 4 },
  { key: "ZEXTEND", value: true },
  { key: "ZTILE1", value: 10 },
  { key: "ZTILE2", value: 1 },
  { key: "ZCMPTYPE", value: "RICE_1" },
  { key: "ZNAME1", value: "BLOCKSIZE" },
  { key: "ZVAL1", value: 32 },
  { key: "ZBLANK", value: -32768 },
  { key: "BZERO", value: 32768 },
  { key: "OBJECT", value: "M31", comment: "target" },
  { key: "HISTORY", value: "made by hand" },
  { key: "ZHECKSUM", value: "abc" },
  { key: "ZDATASUM", value: "123" },
  { key: "CHECKSUM", value: "def" },
  { key: "DATASUM", value: "456" },
];

describe("uncompressedHeader()", () => {
  it("restores a primary image header and drops the table, compression and checksum keywords", () => {
    const { lookup, cards } = headerParts(compressed);
    expect(uncompressedHeader(lookup, cards)).toEqual([
      { key: "SIMPLE", value: true },
      { key: "BITPIX", value: 16, comment: "data type of original image" },
      { key: "NAXIS", value: 2 },
      { key: "NAXIS1", value: 10 },
      { key: "NAXIS2", value: 4 },
      { key: "EXTEND", value: true },
      { key: "BLANK", value: -32768 },
      { key: "BZERO", value: 32768 },
      { key: "OBJECT", value: "M31", comment: "target" },
      { key: "HISTORY", value: "made by hand" },
    ]);
  });

  it("gives the structural cards of an IMAGE extension from a lookup alone", () => {
    const values: Record<string, number | string | boolean> = {
      ZBITPIX: -32,
      ZNAXIS: 1,
      ZNAXIS1: 5,
      ZBLANK: -1,
    };
    expect(uncompressedHeader({ get: (key) => values[key] })).toEqual([
      { key: "XTENSION", value: "IMAGE" },
      { key: "BITPIX", value: -32 },
      { key: "NAXIS", value: 1 },
      { key: "NAXIS1", value: 5 },
      { key: "PCOUNT", value: 0 },
      { key: "GCOUNT", value: 1 },
    ]);
  });
});
