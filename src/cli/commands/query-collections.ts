import { type Command, Option } from "commander";
import { COLLECTION_TYPES, type CollectionType } from "../../datasets/collection-type.ts";
import { CommandLineError } from "../../errors.ts";
import type { Registry } from "../../registry/registry.ts";
import { collectList, formatOption, printTable, type RegisterCommand, withRegistry } from "../command-kit.ts";
import type { OutputFormat, ResultTable } from "../output-table.ts";

const CHAIN_MODES = ["TABLE", "INVERSE-TABLE", "TREE", "INVERSE-TREE", "FLATTEN", "NO-CHILDREN"] as const;
type ChainMode = (typeof CHAIN_MODES)[number];

function parseTypes(values: readonly string[]): CollectionType[] {
  return values.map((value) => {
    const upper = value.toUpperCase();
    if (!(COLLECTION_TYPES as readonly string[]).includes(upper)) {
      throw new CommandLineError(`Invalid --collection-type "${value}"`, {
        hint: `Use one of ${COLLECTION_TYPES.join(", ")}.`,
      });
    }
    return upper as CollectionType;
  });
}

/** The rows of daf_butler's `query-collections` table for one `--chains` mode. */
async function collectionTable(
  registry: Registry,
  patterns: string[],
  types: CollectionType[] | undefined,
  mode: ChainMode,
): Promise<ResultTable> {
  const options = types === undefined ? {} : { types };
  if (mode === "FLATTEN") {
    const names = await registry.collections.query(patterns, { ...options, flattenChains: true });
    const infos = await Promise.all(names.map((n) => registry.collections.getInfo(n)));
    return { columns: ["Name", "Type"], rows: infos.map((i) => [i.name, i.type]), align: "left" };
  }
  const infos = await Promise.all(
    (await registry.collections.query(patterns, options)).map((n) => registry.collections.getInfo(n)),
  );
  if (mode === "NO-CHILDREN")
    return { columns: ["Name", "Type"], rows: infos.map((i) => [i.name, i.type]), align: "left" };
  const inverse = mode.startsWith("INVERSE");
  if (mode === "TREE" || mode === "INVERSE-TREE") {
    const rows: string[][] = [];
    const add = async (name: string, level: number): Promise<void> => {
      const info = await registry.collections.getInfo(name);
      rows.push([`${"  ".repeat(level)}${info.name}`, info.type]);
      const next = inverse ? await registry.collections.getParentChains(name) : info.children;
      for (const child of next) await add(child, level + 1);
    };
    for (const info of infos) await add(info.name, 0);
    return { columns: ["Name", "Type"], rows, align: "left" };
  }
  const rows: string[][] = [];
  for (const info of infos) {
    const related = inverse ? await registry.collections.getParentChains(info.name) : info.children;
    if (related.length === 0) rows.push([info.name, info.type, ""]);
    related.forEach((other, i) => {
      rows.push([i === 0 ? info.name : "", i === 0 ? info.type : "", other]);
    });
  }
  const keepThird = inverse ? rows.some((r) => r[2] !== "") : infos.some((i) => i.type === "CHAINED");
  return {
    columns: keepThird ? ["Name", "Type", inverse ? "Parents" : "Children"] : ["Name", "Type"],
    rows: keepThird ? rows : rows.map((r) => r.slice(0, 2)),
    align: "left",
  };
}

/** `butler query-collections REPO [GLOB...]`. */
export const registerQueryCollections: RegisterCommand = (program: Command, context) => {
  program
    .command("query-collections")
    .description("Get the collections whose names match an expression.")
    .argument("<repo>", "Path of the repository.")
    .argument("[glob...]", "Collection names or glob patterns (default: all).")
    .option(
      "--collection-type <type>",
      "Only collections of this type (repeatable: RUN, TAGGED, CHAINED, CALIBRATION).",
      collectList,
    )
    .addOption(new Option("--chains <mode>", "How to show chains.").choices(CHAIN_MODES).default("TREE"))
    .addOption(formatOption())
    .action(
      async (
        repo: string,
        globs: string[],
        options: { collectionType?: string[]; chains: ChainMode; format: OutputFormat },
      ) => {
        const types = options.collectionType === undefined ? undefined : parseTypes(options.collectionType);
        await withRegistry(repo, false, async (registry) => {
          printTable(
            context(),
            await collectionTable(registry, globs, types, options.chains),
            options.format,
          );
        });
      },
    );
};
