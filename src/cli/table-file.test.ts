import { describe, expect, it } from "vitest";
import { CommandLineError } from "../errors.ts";
import { parseTable } from "./table-file.ts";

describe("parseTable", () => {
  it("reads CSV with quoted values, doubled quotes, CRLF and comment lines", () => {
    const text = '# made by hand\r\nfile,detector\r\n"a, b.json",1\r\n"say ""hi"".json",2\r\n\r\n';
    expect(parseTable(text, "t.csv", ",")).toEqual({
      columns: ["file", "detector"],
      rows: [
        ["a, b.json", "1"],
        ['say "hi".json', "2"],
      ],
    });
  });

  it("reads astropy's ECSV: YAML header, then space-separated values with quotes", () => {
    const text = [
      "# %ECSV 1.0",
      "# ---",
      "# datatype:",
      "# - {name: file, datatype: string}",
      "# - {name: exposure, datatype: int64}",
      "# schema: astropy-2.0",
      "file exposure",
      '"with space.fits" 903342',
      "plain.fits  903344",
      "",
    ].join("\n");
    expect(parseTable(text, "t.ecsv", null)).toEqual({
      columns: ["file", "exposure"],
      rows: [
        ["with space.fits", "903342"],
        ["plain.fits", "903344"],
      ],
    });
  });

  it("reads ECSV whose header declares a comma delimiter", () => {
    const text =
      "# %ECSV 1.0\n# ---\n# delimiter: ','\n# datatype:\n# - {name: f, datatype: string}\n# - {name: d, datatype: int64}\nf,d\nx y.json,3\n";
    expect(parseTable(text, "t.ecsv", null).rows).toEqual([["x y.json", "3"]]);
  });

  it("names the line of a row with too few values", () => {
    expect(() => parseTable("file,detector\na.json,1\nb.json\n", "t.csv", ",")).toThrow(
      new CommandLineError("t.csv, line 3: 1 values for 2 columns (file, detector)"),
    );
  });

  it("refuses a table without a header row and an unclosed quote", () => {
    expect(() => parseTable("# nothing\n", "t.csv", ",")).toThrow(/t\.csv has no header row/);
    expect(() => parseTable('file\n"a.json\n', "t.csv", ",")).toThrow(
      /t\.csv, line 2: a quoted value is not closed/,
    );
  });
});
