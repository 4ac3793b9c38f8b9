import type { Command } from "commander";
import type { ConsistencyReport } from "../../datastore/datastore.ts";
import { type RegisterCommand, withButler } from "../command-kit.ts";
import { ExitStatus } from "../exit-status.ts";

/** The report's sections: a heading and one line per problem. */
function sections(report: ConsistencyReport): [string, string[]][] {
  return [
    ["Missing artifacts", report.missing.map((r) => `${r.path} (dataset ${r.datasetId})`)],
    [
      "Artifacts of another size than recorded",
      report.sizeMismatch.map((r) => `${r.path} (dataset ${r.datasetId}; recorded ${r.fileSize} bytes)`),
    ],
    ["Artifacts no dataset records (orphans)", report.orphans.map(String)],
    ["Leftovers of interrupted writes", report.temporaries.map(String)],
  ];
}

/**
 * `butler fsck REPO` (butler-ts's verb): check that the datastore's records and files agree; exit status
 * 1 when they do not.
 */
export const registerFsck: RegisterCommand = (program: Command, context) => {
  program
    .command("fsck")
    .summary("Check that the datastore's records and files agree.")
    .description(
      "Check the repository's datastore (butler-ts's verb): records whose file is missing or has another size than recorded, files under the root no record names (left by a crash between writing and committing), and leftovers of interrupted writes. Prints what it finds and exits with status 1 when anything is wrong; with the global --quiet (also accepted after the verb) it prints nothing and only sets the exit status.",
    )
    .argument("<repo>", "Path of the repository.")
    .action(async (repo: string) => {
      const ctx = context();
      const report = await withButler(repo, {}, (butler) => butler.check());
      const found = sections(report).filter(([, lines]) => lines.length > 0);
      const problems = found.reduce((n, [, lines]) => n + lines.length, 0);
      if (!ctx.quiet) {
        for (const [heading, lines] of found) {
          ctx.stdout.write(`${heading} (${lines.length}):\n${lines.map((l) => `  ${l}\n`).join("")}`);
        }
        ctx.stdout.write(
          problems === 0
            ? "No problems found: every record has its file, of the recorded size, and every file its record.\n"
            : `${problems} problem${problems === 1 ? "" : "s"} found.\n`,
        );
      }
      if (problems > 0) throw new ExitStatus(1);
    });
};
