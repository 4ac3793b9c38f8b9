import { spawnSync } from "node:child_process";

/** A Python interpreter that can import `module`, or undefined (Debian's first, then whatever is on PATH). */
export function findPython(module: string): string | undefined {
  for (const candidate of ["/usr/bin/python3", "python3"]) {
    const probe = spawnSync(candidate, ["-c", `import ${module}`], { encoding: "utf8" });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

/** Run a Python script with JSON on stdin and parse the JSON it prints. */
export function runPython<T>(python: string, script: string, input: unknown): T {
  const result = spawnSync(python, ["-c", script], { input: JSON.stringify(input), encoding: "utf8" });
  if (result.status !== 0) throw new Error(`python failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}
