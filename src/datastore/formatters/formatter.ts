/** Read options handed to a formatter: the parameters of a `get` and the component asked for. */
export interface FormatterReadOptions {
  /** Read parameters of the storage class (`bbox`, `columns`, ...) already checked against it. */
  readonly parameters?: Readonly<Record<string, unknown>>;
  /** The component to read instead of the whole object (`wcs` of `calexp.wcs`), when the formatter can. */
  readonly component?: string;
  /**
   * The storage class of the object to return (the dataset type's, or the stored component's), so a
   * formatter that can build several in-memory types (tables, images) builds the right one.
   */
  readonly storageClass?: string;
}

/** Write options handed to a formatter. */
export interface FormatterWriteOptions {
  /** The storage class of the object written (the dataset type's). */
  readonly storageClass?: string;
  /**
   * Write parameters from the datastore's formatter config (`unsafe_dump`, `format`, `recipe`, ...),
   * each one of {@link Formatter.writeParameters}.
   */
  readonly parameters?: Readonly<Record<string, unknown>>;
}

/** Reads a range of an artifact's bytes: lets a formatter read only what it needs. */
export interface ByteSource {
  /** Size of the artifact in bytes. */
  size(): Promise<number>;
  /** Bytes `[start, end)`, the caller's own (a copy it may modify, never a view of shared bytes). */
  read(start: number, end: number): Promise<Uint8Array>;
  /** Several ranges at once (one open of a local file), each the caller's own bytes; when the source can. */
  readMany?(ranges: readonly (readonly [number, number])[]): Promise<Uint8Array[]>;
  /** The whole artifact. */
  readAll(): Promise<Uint8Array>;
  /**
   * A local file holding the artifact, when it is one: for libraries that can only read by path (HDF5),
   * so they still read only what they need.
   */
  readonly localPath?: string;
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
  /** Write parameters it accepts (daf_butler's `supported_write_parameters`). */
  readonly writeParameters: readonly string[];
  /**
   * Whether {@link Formatter.read} applies `parameters` and `component` itself (a partial read). When
   * false it returns the whole object and the caller applies them through the storage class.
   */
  readonly appliesReadOptions: boolean;
  /**
   * The object stored in the bytes; with parameters and the component applied when
   * {@link Formatter.appliesReadOptions} says so.
   * @param file The artifact's URI or path, for error messages.
   * @throws {FormatterError} for bytes that are not valid in this format.
   * @throws {MissingDependencyError} when butler-ts cannot read this format yet.
   */
  read(source: ByteSource, options?: FormatterReadOptions, file?: string): Promise<unknown>;
  /**
   * The bytes of an object.
   * @throws {FormatterError} when the object cannot be written in this format, or for an unknown write
   * parameter.
   * @throws {MissingDependencyError} when butler-ts cannot write this format yet.
   */
  write(object: unknown, options?: FormatterWriteOptions): Promise<Uint8Array>;
}
