import { Option } from "commander";
import { CommandLineError } from "../errors.ts";
import { collectList } from "./command-kit.ts";

/**
 * `--data-id KEY=VALUE`, repeatable and comma-separated (`--data-id instrument=HSC,detector=16`), as
 * daf_butler's CLI spells data IDs.
 */
export function dataIdOption(help: string): Option {
  return new Option("--data-id <KEY=VALUE>", help).argParser(collectList);
}

/** `--parameter KEY=VALUE`, repeatable: read parameters of the storage class. */
export function parameterOption(): Option {
  return new Option(
    "--parameter <KEY=VALUE>",
    "A read parameter of the storage class (repeatable); the value is read as JSON when it is JSON, else as text.",
  ).argParser((value: string, previous: string[] = []) => [...previous, value]);
}

function split(pair: string, option: string, example: string): [string, string] {
  const equals = pair.indexOf("=");
  const key = pair.slice(0, equals).trim();
  if (equals < 0 || key === "") {
    throw new CommandLineError(`Invalid ${option} "${pair}": expected KEY=VALUE`, {
      hint: `Write it as ${option} ${example}.`,
    });
  }
  return [key, pair.slice(equals + 1).trim()];
}

/**
 * A data ID from `--data-id` pairs. Values stay text: the universe knows each dimension's type, and
 * digit strings become integers where the dimension wants one.
 * @throws {CommandLineError} for a pair without `=` or a key given twice with different values.
 */
export function parseDataId(pairs: readonly string[] = []): Record<string, string> {
  const dataId: Record<string, string> = {};
  for (const pair of pairs) {
    const [key, value] = split(pair, "--data-id", "instrument=HSC");
    const previous = dataId[key];
    if (previous !== undefined && previous !== value) {
      throw new CommandLineError(`--data-id gives "${key}" twice: "${previous}" and "${value}"`);
    }
    dataId[key] = value;
  }
  return dataId;
}

/**
 * Read parameters from `--parameter` pairs: a value that is valid JSON (`5`, `[1, 2]`, `true`) is that
 * value, anything else the text itself.
 * @throws {CommandLineError} for a pair without `=`.
 */
export function parseParameters(pairs: readonly string[] = []): Record<string, unknown> {
  const parameters: Record<string, unknown> = {};
  for (const pair of pairs) {
    const [key, text] = split(pair, "--parameter", 'columns=\'["a", "b"]\'');
    try {
      parameters[key] = JSON.parse(text);
    } catch {
      parameters[key] = text;
    }
  }
  return parameters;
}
