/** Read options handed to a formatter: the parameters of a `get` and the component asked for. */
export interface FormatterReadOptions {
  /** Read parameters of the storage class (`bbox`, `columns`, ...) already checked against it. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The component to read instead of the whole object (`wcs` of `calexp.wcs`), when the formatter can. */
  readonly component?: string;
}

/** Reads a range of an artifact's bytes: lets a formatter read only what it needs. */
export interface ByteSource {
  /** Size of the artifact in bytes. */
  size(): Promise<number>;
  /** Bytes `[start, end)`. */
  read(start: number, end: number): Promise<Uint8Array>;
  /** The whole artifact. */
  readAll(): Promise<Uint8Array>;
}

/**
 * A stateless codec between an in-memory object and the bytes of one file format. Formatters live in a
 * typed table keyed by {@link Formatter.name}; daf_butler's class names map onto them.
 */
export interface Formatter {
  /** Our name for it (`json`, `yaml`, `text`, ...). */
  readonly name: string;
  /** Extension of files it writes, with the dot (`.json`). */
  readonly extension: string;
  /** Extensions it can read, with the dot, the write extension included. */
  readonly extensions: readonly string[];
  /** Storage classes it can write and read. */
  readonly storageClasses: readonly string[];
  /**
   * The object stored in the bytes, with parameters and the component applied when given.
   * @throws {FormatterError} for bytes that are not valid in this format.
   */
  read(source: ByteSource, options?: FormatterReadOptions): Promise<unknown>;
  /**
   * The bytes of an object.
   * @throws {FormatterError} when the object cannot be written in this format.
   */
  write(object: unknown): Promise<Uint8Array>;
}
