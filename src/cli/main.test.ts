import { describe, expect, it } from "vitest";
import { captureStreams } from "../../test/support/capture.ts";
import { ConfigError } from "../errors.ts";
import { parseLogLevels } from "./log-levels.ts";
import { main, packageVersion } from "./main.ts";
import { formatCliError } from "./report-error.ts";

describe("butler command line", () => {
  it("prints its version", async () => {
    const io = captureStreams();
    expect(await main(["--version"], io)).toBe(0);
    expect(io.out()).toBe(`butler-ts ${packageVersion()}\n`);
    expect(packageVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("prints help with the global options", async () => {
    const io = captureStreams();
    expect(await main(["--help"], io)).toBe(0);
    for (const option of ["--log-level", "--quiet", "--no-progress", "--debug", "--version"]) {
      expect(io.out()).toContain(option);
    }
    expect(io.err()).toBe("");
  });

  it("reports an unknown option as error and hint, exit 1", async () => {
    const io = captureStreams();
    expect(await main(["--frobnicate"], io)).toBe(1);
    expect(io.err()).toBe("error: unknown option '--frobnicate'\nhint: Run \"butler --help\" for usage.\n");
  });

  it("rejects a bad log level with the levels it accepts", async () => {
    const io = captureStreams();
    expect(await main(["--log-level", "LOUD"], io)).toBe(1);
    expect(io.err()).toBe(
      'error: Invalid --log-level "LOUD": unknown level "LOUD"\nhint: Use LEVEL or COMPONENT=LEVEL with LEVEL one of CRITICAL, ERROR, WARNING, INFO, VERBOSE, DEBUG, TRACE.\n',
    );
  });

  it("accepts daf_butler's log level forms", () => {
    const levels = parseLogLevels(["debug", "lsst.daf.butler=WARNING", ".=trace"]);
    expect(levels.get("")).toBe("TRACE");
    expect(levels.get("lsst.daf.butler")).toBe("WARNING");
  });
});

describe("formatCliError", () => {
  it("prints error and hint lines, and the stack only with --debug", () => {
    const cause = new Error("EACCES");
    const error = new ConfigError("Cannot read butler.yaml", { hint: "Check permissions.", cause });
    expect(formatCliError(error, false)).toBe("error: Cannot read butler.yaml\nhint: Check permissions.\n");
    const debug = formatCliError(error, true);
    expect(debug).toContain(
      "error: Cannot read butler.yaml\nhint: Check permissions.\nConfigError: Cannot read butler.yaml\n    at ",
    );
    expect(debug).toContain("caused by: Error: EACCES");
  });

  it("labels errors butler-ts did not expect as internal", () => {
    expect(formatCliError(new TypeError("x is undefined"), false)).toBe(
      "error: internal error: x is undefined\nhint: Run again with --debug to see the stack trace, and please report it.\n",
    );
  });
});
