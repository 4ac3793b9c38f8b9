import { describe, expect, it } from "vitest";
import { plainIsString } from "./pyyaml-resolver.ts";

describe("plainIsString()", () => {
  it("quotes <<, = and anything that is not a string when plain", () => {
    expect(["<<", "=", "yes", "12", "", "abc"].map(plainIsString)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
    ]);
  });
});
