import { FormatterError } from "../../errors.ts";
import type { FormatterWriteOptions } from "./formatter.ts";

/**
 * The write parameters of `options`, each checked to be one `formatter` accepts (daf_butler refuses
 * unknown ones too, so a typo in the config is not silently ignored).
 * @throws {FormatterError} naming an unknown parameter and the accepted ones.
 */
export function writeParametersOf(
  formatter: string,
  accepted: readonly string[],
  options: FormatterWriteOptions | undefined,
): Readonly<Record<string, unknown>> {
  const parameters = options?.parameters ?? {};
  for (const name of Object.keys(parameters)) {
    if (!accepted.includes(name)) {
      throw new FormatterError(`Formatter "${formatter}" has no write parameter "${name}"`, {
        hint:
          accepted.length === 0
            ? `It takes none: remove "${name}" from datastore.formatters in butler.yaml.`
            : `It accepts: ${accepted.join(", ")}.`,
      });
    }
  }
  return parameters;
}
