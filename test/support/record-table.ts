import type { DataIdValue } from "../../src/dimensions/data-coordinate.ts";
import type { DimensionRecord } from "../../src/dimensions/dimension-record.ts";
import type { DimensionElement } from "../../src/dimensions/elements.ts";
import type { DimensionRecordSource } from "../../src/dimensions/expand-data-id.ts";

/** A record source over an in-memory list of records: the simplest real implementation of the interface. */
export class RecordTable implements DimensionRecordSource {
  readonly fetched: string[] = [];
  readonly #records: readonly DimensionRecord[];

  constructor(records: readonly DimensionRecord[]) {
    this.#records = records;
  }

  fetchRecord(element: DimensionElement, requiredValues: readonly DataIdValue[]): DimensionRecord | null {
    this.fetched.push(element.name);
    return (
      this.#records.find(
        (record) =>
          record.element === element &&
          element.required.every((dimension, i) => record.valueOf(dimension.name) === requiredValues[i]),
      ) ?? null
    );
  }
}
