import { readFile } from "node:fs/promises";
import { parse, YAMLParseError } from "yaml";
import { ConfigError } from "../errors.ts";

/**
 * Parse YAML text into plain data (YAML 1.2 core schema; duplicate keys are errors).
 * @throws {ConfigError} with the line and column of a syntax error.
 */
export function parseYaml(text: string, source: string): unknown {
  try {
    return parse(text, { uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    if (error instanceof YAMLParseError) {
      const where = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : "";
      const detail = error.message.split("\n")[0] ?? error.message;
      throw new ConfigError(`Cannot parse ${source}${where}: ${detail}`, { cause: error });
    }
    throw error;
  }
}

/**
 * Read and parse a YAML file.
 * @throws {ConfigError} when the file cannot be read or is not valid YAML.
 */
export async function readYamlFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new ConfigError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
      cause: error,
      hint: "Check that the file exists and is readable.",
    });
  }
  return parseYaml(text, path);
}
