import { describe, expect, it } from "vitest";
import * as errors from "./errors.ts";
import {
  ButlerError,
  ButlerUserError,
  CommandLineError,
  ConfigError,
  DataIdError,
  DataIdValueError,
  DimensionNameError,
  DimensionValueError,
  InconsistentDataIdError,
  InvalidTimeError,
} from "./errors.ts";

describe("error hierarchy", () => {
  const kinds = [
    [ButlerUserError, ButlerError],
    [ConfigError, ButlerUserError],
    [DataIdError, ButlerUserError],
    [DimensionNameError, DataIdError],
    [DimensionValueError, DataIdError],
    [InconsistentDataIdError, DataIdError],
    [DataIdValueError, DataIdError],
    [InvalidTimeError, ButlerUserError],
    [CommandLineError, ButlerUserError],
  ] as const;

  it.each(kinds)("%o carries its own name as code and extends its parent", (Kind, Parent) => {
    const cause = new Error("low level");
    const error = new Kind("something failed", { hint: "do this", cause });
    expect(error).toBeInstanceOf(Parent);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(Kind.name);
    expect(error.name).toBe(Kind.name);
    expect(error.message).toBe("something failed");
    expect(error.hint).toBe("do this");
    expect(error.cause).toBe(cause);
  });

  it("gives every exported error class a code equal to its name, under ButlerError", () => {
    const classes = Object.entries(errors).filter(([, value]) => typeof value === "function");
    expect(classes.length).toBeGreaterThan(20);
    for (const [name, Kind] of classes) {
      const error =
        name === "DatabaseError"
          ? new errors.DatabaseError("x", "other")
          : name === "EmptyQueryResultError"
            ? new errors.EmptyQueryResultError(["x"])
            : name === "UnknownColumnError"
              ? new errors.UnknownColumnError("x", ["a"])
              : new (Kind as typeof ButlerError)("x");
      expect(error, name).toBeInstanceOf(ButlerError);
      expect(error.code, name).toBe(name);
    }
  });

  it("EmptyQueryResultError lists its reasons", () => {
    const error = new errors.EmptyQueryResultError([
      "No datasets of type 'bias' in collection 'a'.",
      "Doomed.",
    ]);
    expect(error.reasons).toEqual(["No datasets of type 'bias' in collection 'a'.", "Doomed."]);
    expect(error.message).toBe(
      "The query returned nothing: No datasets of type 'bias' in collection 'a'. Doomed.",
    );
    expect(new errors.EmptyQueryResultError([]).message).toBe("The query returned nothing");
  });

  it("UnknownColumnError names the column and lists the ones there are", () => {
    const error = new errors.UnknownColumnError("fluxx", ["flux", "ra"], { file: "t.parq" });
    expect(error).toBeInstanceOf(errors.FormatterError);
    expect([error.code, error.column, error.available]).toEqual([
      "UnknownColumnError",
      "fluxx",
      ["flux", "ra"],
    ]);
    expect(error.message).toBe('No column matches "fluxx" (t.parq)');
    expect(error.hint).toBe("Columns: flux, ra.");
  });

  it("DatabaseError says which constraint failed", () => {
    expect(new errors.DatabaseError("duplicate", "unique").kind).toBe("unique");
  });

  it("ConfigError prefixes the path of the bad key", () => {
    const error = new ConfigError('unknown dimension "instrumnet"', { path: "elements.visit.requires[0]" });
    expect(error.message).toBe('elements.visit.requires[0]: unknown dimension "instrumnet"');
    expect(error.path).toBe("elements.visit.requires[0]");
  });

  it("an error without options has no hint and no cause", () => {
    const error = new ButlerError("plain");
    expect(error.hint).toBeUndefined();
    expect("cause" in error).toBe(false);
    expect(error.code).toBe("ButlerError");
  });
});
