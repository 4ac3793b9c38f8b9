/** A metadata value: a string, an integer (`bigint` beyond 2^53), a real, a logical, or null for none. */
export type MetadataValue = string | number | bigint | boolean | null;

/**
 * One metadata entry. `COMMENT` and `HISTORY` entries have only a comment, and may repeat. An entry may
 * carry more properties a codec put there (a FITS card's original text), kept while it is unchanged.
 */
export interface MetadataEntry {
  readonly key: string;
  readonly value?: MetadataValue;
  readonly comment?: string;
}

/**
 * Ordered metadata with comments, like afw's PropertyList or a FITS header without its structural cards.
 * Keys compare in any case. Frozen; `with` and `without` return new lists.
 * @example
 * const metadata = new PropertyList().with("EXPTIME", 30.0, "exposure time (s)");
 */
export class PropertyList {
  readonly entries: readonly MetadataEntry[];

  constructor(entries: readonly MetadataEntry[] = []) {
    this.entries = Object.freeze(
      entries.map((entry) => Object.freeze({ ...entry, key: entry.key.toUpperCase() })),
    );
    Object.freeze(this);
  }

  /** A list from a plain object of values, in its key order. */
  static fromObject(values: Readonly<Record<string, MetadataValue>>): PropertyList {
    return new PropertyList(Object.entries(values).map(([key, value]) => ({ key, value })));
  }

  /** The value of the first entry with this key, or undefined. */
  get(key: string): MetadataValue | undefined {
    return this.#entry(key)?.value;
  }

  /** The comment of the first entry with this key, or undefined. */
  getComment(key: string): string | undefined {
    return this.#entry(key)?.comment;
  }

  /** Whether an entry has this key. */
  has(key: string): boolean {
    return this.#entry(key) !== undefined;
  }

  /** Keys of the entries that have values, each once, in order. */
  keys(): string[] {
    return [...new Set(this.entries.filter((e) => e.value !== undefined).map((e) => e.key))];
  }

  /** The list with `key` set: its first entry replaced (keeping its comment unless one is given), or appended. */
  with(key: string, value: MetadataValue, comment?: string): PropertyList {
    const wanted = key.toUpperCase();
    const index = this.entries.findIndex((e) => e.key === wanted);
    const kept = comment ?? this.entries[index]?.comment;
    const entry: MetadataEntry = { key: wanted, value, ...(kept === undefined ? {} : { comment: kept }) };
    const entries = [...this.entries];
    if (index < 0) entries.push(entry);
    else entries[index] = entry;
    return new PropertyList(entries);
  }

  /** The list without entries of these keys. */
  without(...keys: readonly string[]): PropertyList {
    const drop = new Set(keys.map((key) => key.toUpperCase()));
    return new PropertyList(this.entries.filter((e) => !drop.has(e.key)));
  }

  /** Values by key (the first of each), for display and JSON. */
  toObject(): Record<string, MetadataValue> {
    const out: Record<string, MetadataValue> = {};
    for (const entry of this.entries) {
      if (entry.value !== undefined && !Object.hasOwn(out, entry.key)) out[entry.key] = entry.value;
    }
    return out;
  }

  /** Values by key for JSON: integers beyond 2^53 as strings, which JSON numbers cannot hold exactly. */
  toJSON(): Record<string, Exclude<MetadataValue, bigint>> {
    return Object.fromEntries(
      Object.entries(this.toObject()).map(([key, value]) => [
        key,
        typeof value === "bigint" ? String(value) : value,
      ]),
    );
  }

  #entry(key: string): MetadataEntry | undefined {
    const wanted = key.toUpperCase();
    return this.entries.find((e) => e.key === wanted);
  }
}
