// The raw floor of the concurrent-writers figure: one process inserting the same dataset and tag rows as
// test/support/concurrent-writer.ts, straight through the driver, one multi-row INSERT per table and
// transaction. Prints `ready`, starts at the first line on stdin.
//
//   node raw-writer.ts '{"registry": "sqlite:FILE" | "postgresql:URL#namespace", "runId": 5, "typeId": 1,
//                        "tagTable": "dataset_tags_00000001", "detectors": [0, 1, ...], "batch": 100}'
import { randomUUID } from "node:crypto";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";

interface RawTask {
  readonly registry: string;
  readonly runId: number;
  readonly typeId: number;
  readonly tagTable: string;
  readonly detectors: readonly number[];
  readonly batch: number;
}

const task = JSON.parse(process.argv[2] as string) as RawTask;
const sqlite = task.registry.startsWith("sqlite:");
let exec: (sql: string) => Promise<unknown>;
let close: () => Promise<unknown>;
if (sqlite) {
  const db = new DatabaseSync(task.registry.slice("sqlite:".length), { timeout: 60_000 });
  db.exec("PRAGMA synchronous = NORMAL");
  exec = async (sql) => db.exec(sql);
  close = async () => db.close();
} else {
  const hash = task.registry.lastIndexOf("#");
  const client = new pg.Client({
    connectionString: task.registry.slice("postgresql:".length, hash),
    options: `-c search_path=${task.registry.slice(hash + 1)},public`,
  });
  await client.connect();
  exec = (sql) => client.query(sql);
  close = () => client.end();
}
process.stdout.write("ready\n");
await new Promise<void>((resolve) =>
  process.stdin.once("data", () => {
    process.stdin.pause();
    resolve();
  }),
);
for (let start = 0; start < task.detectors.length; start += task.batch) {
  const detectors = task.detectors.slice(start, start + task.batch);
  const ids = detectors.map(() => (sqlite ? `'${randomUUID().replaceAll("-", "")}'` : `'${randomUUID()}'`));
  await exec(sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
  await exec(
    `INSERT INTO dataset (id, dataset_type_id, ingest_date, run_id) VALUES ${ids.map((id) => `(${id}, ${task.typeId}, 0, ${task.runId})`).join(", ")}`,
  );
  await exec(
    `INSERT INTO ${task.tagTable} (dataset_type_id, dataset_id, collection_id, instrument, detector) VALUES ${ids.map((id, i) => `(${task.typeId}, ${id}, ${task.runId}, 'Cam1', ${detectors[i]})`).join(", ")}`,
  );
  await exec("COMMIT");
}
await close();
