import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { blake2b, shrinkPostgresName } from "./name-shrinker.ts";

describe("shrinkPostgresName()", () => {
  it("keeps names of up to 63 characters", () => {
    expect(shrinkPostgresName("dataset_tags_00000001_fkidx_instrument_physical_filter")).toBe(
      "dataset_tags_00000001_fkidx_instrument_physical_filter",
    );
    expect(shrinkPostgresName("x".repeat(63))).toBe("x".repeat(63));
  });

  it("shrinks longer names to the names daf_butler gave them in small_pg.sql", () => {
    expect(
      shrinkPostgresName(
        "dataset_tags_00000001_unq_dataset_type_id_collection_id_instrument_detector_physical_filter",
      ),
    ).toBe("dataset_tags_00000001_unq_dataset_type_id_collection_i_b331a4e3");
    expect(
      shrinkPostgresName(
        "dataset_calibs_00000001_idx_dataset_type_id_collection_id_instrument_detector_physical_filter_timespan",
      ),
    ).toBe("dataset_calibs_00000001_idx_dataset_type_id_collection_cc0450f4");
  });
});

describe("blake2b()", () => {
  it("agrees with OpenSSL's 64-byte BLAKE2b across block boundaries", () => {
    for (const length of [0, 1, 127, 128, 129, 256, 300]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 7) % 256);
      expect(Buffer.from(blake2b(data, 64)).toString("hex"), `${length} bytes`).toBe(
        createHash("blake2b512").update(data).digest("hex"),
      );
    }
  });
});
