import type { DatasetType } from "../datasets/dataset-type.ts";
import type { Formatter } from "./formatters/formatter.ts";
import type { StorageClass } from "./storage-classes/storage-class.ts";
import type { StorageClassRegistry } from "./storage-classes/storage-class-registry.ts";

/** What a read asked for beyond the whole object. */
export interface ReadRequest {
  /** A component to take from the object read (not yet taken by the formatter). */
  readonly component: string | null;
  /** The component an artifact of a disassembled composite already is, or null. */
  readonly componentOf: string | null;
  readonly parameters: Readonly<Record<string, unknown>> | undefined;
  /** The storage class the caller wants back instead of the dataset type's. */
  readonly storageClass: string | undefined;
  /** The formatter that read the object (null for in-memory objects). */
  readonly formatter: Formatter | null;
}

/**
 * The storage-class side of reads and writes shared by every datastore: objects checked (and converted)
 * on the way in; parameters, components and storage-class overrides applied on the way out.
 */
export class ObjectCodec {
  readonly storageClasses: StorageClassRegistry;

  constructor(storageClasses: StorageClassRegistry) {
    this.storageClasses = storageClasses;
  }

  /**
   * The object to store for a dataset type: checked against (or converted to) its storage class.
   * @throws {StorageClassError} when it is neither.
   */
  prepareForWrite(type: DatasetType, object: unknown): unknown {
    return this.storageClasses.get(type.storageClass).coerce(object);
  }

  /**
   * The object a read returns, from what storage gave back.
   * @throws {StorageClassError} for unknown parameters or an impossible conversion.
   * @throws {UnknownComponentError} for a component the storage class does not have.
   */
  finishRead(type: DatasetType, object: unknown, request: ReadRequest): unknown {
    let storageClass: StorageClass = this.storageClasses.get(type.storageClass);
    if (request.componentOf !== null) {
      storageClass = this.storageClasses.get(storageClass.componentStorageClass(request.componentOf));
    }
    let result = object;
    const applied = request.formatter?.appliesReadOptions === true;
    if (!applied && request.parameters !== undefined) {
      result = storageClass.applyParameters(result, request.parameters);
    }
    if (request.component !== null) {
      const componentClass = storageClass.componentStorageClass(request.component);
      if (!applied) result = storageClass.getComponent(result, request.component);
      storageClass = this.storageClasses.get(componentClass);
    }
    if (request.storageClass !== undefined && request.storageClass !== storageClass.name) {
      result = storageClass.convertTo(result, this.storageClasses.get(request.storageClass));
    }
    return result;
  }
}
