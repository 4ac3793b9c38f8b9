import { spawnSync } from "node:child_process";
import { describe } from "vitest";

const found = new Map<string, string | undefined>();

/**
 * A Python interpreter that can import `module`, or undefined (Debian's first, then whatever is on PATH).
 * Probed once per module.
 */
export function findPython(module: string): string | undefined {
  if (found.has(module)) return found.get(module);
  let interpreter: string | undefined;
  for (const candidate of ["/usr/bin/python3", "python3"]) {
    const probe = spawnSync(candidate, ["-c", `import ${module}`], { encoding: "utf8" });
    if (probe.status === 0) {
      interpreter = candidate;
      break;
    }
  }
  found.set(module, interpreter);
  return interpreter;
}

/** Run a Python script with JSON on stdin and parse the JSON it prints (up to 256 MB of it). */
export function runPython<T>(python: string, script: string, input: unknown): T {
  const result = spawnSync(python, ["-c", script], {
    input: JSON.stringify(input),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/**
 * A suite that needs a Python able to import `module`: run with that interpreter, or skipped with the
 * reason in its title where there is none (`.ci/run` installs the modules the suites use). The body only
 * declares tests and hooks; it must not run Python itself, as a skipped suite is still collected.
 */
export function describeWithPython(module: string, name: string, body: (python: string) => void): void {
  const python = findPython(module);
  if (python === undefined)
    describe.skip(`${name} [skipped: no python3 that can import ${module}]`, () => body(""));
  else describe(name, () => body(python));
}
