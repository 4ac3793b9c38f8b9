import { DatabaseSync } from "node:sqlite";
import { describe, expect, it } from "vitest";
import type { TableSpec } from "../../table-spec.ts";
import { quoteSqliteIdentifier, renderSqliteTable } from "./sqlite-ddl.ts";

const GROUP: TableSpec = {
  name: "group",
  columns: [
    { name: "id", type: "bigint", nullable: false, autoincrement: true },
    { name: "instrument", type: "string", length: 16, nullable: false },
    { name: "order", type: "string", length: 64, nullable: true },
    { name: "flag", type: "bool", nullable: true },
    { name: "validity", type: "timespan", nullable: false, default: [0n, 4102444800000000000n] },
  ],
  primaryKey: ["id"],
  unique: [["instrument", "order"]],
  foreignKeys: [{ table: "group", source: ["id"], target: ["id"], onDelete: "CASCADE", addIndex: true }],
  indexes: [["order"]],
  exclusions: [{ equal: ["instrument"], overlap: "validity" }],
};

describe("quoteSqliteIdentifier()", () => {
  it("quotes what SQLAlchemy quotes and nothing else", () => {
    expect(quoteSqliteIdentifier("visit")).toBe("visit");
    expect(quoteSqliteIdentifier("_x$1")).toBe("_x$1");
    expect(quoteSqliteIdentifier("group")).toBe('"group"');
    expect(quoteSqliteIdentifier("exists")).toBe('"exists"');
    expect(quoteSqliteIdentifier("Visit")).toBe('"Visit"');
    expect(quoteSqliteIdentifier("1st")).toBe('"1st"');
    expect(quoteSqliteIdentifier('a"b')).toBe('"a""b"');
  });
});

describe("renderSqliteTable()", () => {
  it("writes SQLAlchemy's layout: columns, key, checks, uniques, foreign keys, then indexes", () => {
    expect(renderSqliteTable(GROUP)).toEqual([
      [
        'CREATE TABLE "group" (',
        "\tid INTEGER NOT NULL, ",
        "\tinstrument VARCHAR(16) NOT NULL, ",
        '\t"order" TEXT, ',
        "\tflag BOOLEAN, ",
        "\tvalidity_begin BIGINT DEFAULT 0 NOT NULL, ",
        "\tvalidity_end BIGINT DEFAULT 4102444800000000000 NOT NULL, ",
        "\tPRIMARY KEY (id), ",
        '\tCONSTRAINT group_len_instrument CHECK (length("instrument")<=16 AND length("instrument")>=1), ',
        '\tCONSTRAINT group_unq_instrument_order UNIQUE (instrument, "order"), ',
        '\tCONSTRAINT fkey_group_group_id_id FOREIGN KEY(id) REFERENCES "group" (id) ON DELETE CASCADE',
        ")",
      ].join("\n"),
      'CREATE INDEX group_idx_order ON "group" ("order")',
      'CREATE INDEX group_idx_instrument_validity_begin_validity_end ON "group" (instrument, validity_begin, validity_end)',
    ]);
  });

  it("skips a foreign-key index whose columns a key, unique constraint or index already covers", () => {
    const spec: TableSpec = {
      ...GROUP,
      exclusions: [],
      foreignKeys: [
        { table: "group", source: ["id"], target: ["id"], addIndex: true },
        { table: "group", source: ["instrument", "order"], target: ["instrument", "order"], addIndex: true },
        { table: "group", source: ["order"], target: ["order"], addIndex: true },
        { table: "group", source: ["instrument"], target: ["instrument"], addIndex: true },
        { table: "group", source: ["instrument"], target: ["instrument"], addIndex: true },
        { table: "group", source: ["flag"], target: ["flag"], addIndex: false },
      ],
    };
    expect(renderSqliteTable(spec).slice(1)).toEqual([
      'CREATE INDEX group_idx_order ON "group" ("order")',
      'CREATE INDEX group_fkidx_instrument ON "group" (instrument)',
    ]);
  });

  it("renders text SQLite stores verbatim", () => {
    const db = new DatabaseSync(":memory:");
    const statements = renderSqliteTable(GROUP);
    for (const statement of statements) db.exec(statement);
    const stored = db.prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").all();
    expect(stored.map((row) => row.sql)).toEqual(statements);
  });

  it("renders other column types as daf_butler's SQLAlchemy types do", () => {
    const spec: TableSpec = {
      name: "t",
      columns: [
        { name: "a", type: "uuid", nullable: false },
        { name: "b", type: "smallint", nullable: false },
        { name: "c", type: "int", nullable: true },
        { name: "d", type: "float", nullable: true },
        { name: "e", type: "hash", nbytes: 40, nullable: true },
        { name: "f", type: "region", nullable: true },
        { name: "g", type: "text", nullable: true, default: "it's" },
        { name: "h", type: "string", nullable: true },
      ],
      primaryKey: [],
      unique: [],
      foreignKeys: [],
      indexes: [],
      exclusions: [],
    };
    expect(renderSqliteTable(spec)).toEqual([
      "CREATE TABLE t (\n\ta CHAR(32) NOT NULL, \n\tb SMALLINT NOT NULL, \n\tc INTEGER, \n\td FLOAT, " +
        "\n\te TEXT, \n\tf TEXT, \n\tg TEXT DEFAULT 'it''s', \n\th VARCHAR\n)",
    ]);
  });

  it("rejects a spec that names a column it lacks", () => {
    expect(() => renderSqliteTable({ ...GROUP, primaryKey: ["nope"] })).toThrow(
      new TypeError("table group has no column nope"),
    );
  });

  it("rejects a default pair for anything but a timespan", () => {
    const columns = [{ name: "id", type: "bigint", nullable: false, default: [0n, 1n] } as const];
    const spec = {
      ...GROUP,
      columns,
      primaryKey: [],
      unique: [],
      indexes: [],
      foreignKeys: [],
      exclusions: [],
    };
    expect(() => renderSqliteTable(spec)).toThrow(new TypeError("column id cannot default to a pair"));
  });

  it("rejects a timespan default that is not a pair", () => {
    const columns = [{ name: "validity", type: "timespan", nullable: false, default: 0 } as const];
    const spec = {
      ...GROUP,
      columns,
      primaryKey: [],
      unique: [],
      indexes: [],
      foreignKeys: [],
      exclusions: [],
    };
    expect(() => renderSqliteTable(spec)).toThrow(
      new TypeError("default of timespan column validity must be a [begin, end] pair"),
    );
  });
});
