import { MissingDependencyError, StorageClassError, UnknownComponentError } from "../../errors.ts";
import { didYouMean } from "../../util/suggest.ts";
import { describeValue } from "../formatters/value-path.ts";
import { CONVERTERS } from "./storage-class-converters.ts";
import { DELEGATES, genericDelegate, type StorageClassDelegate } from "./storage-class-delegates.ts";

/** What a storage class is defined by: daf_butler's `storageClasses:` config keys, in their meaning. */
export interface StorageClassDefinition {
  readonly name: string;
  /** daf_butler's Python type (`dict`, `lsst.afw.image.ExposureF`); inherited when absent, else `object`. */
  readonly pytype?: string | undefined;
  /** The storage class this one extends: its pytype, components and parameters are merged under ours. */
  readonly inheritsFrom?: string | null | undefined;
  /** Read/write components of a composite: name -> storage class name. */
  readonly components?: Readonly<Record<string, string>> | undefined;
  /** Read-only computed components: name -> storage class name. */
  readonly derivedComponents?: Readonly<Record<string, string>> | undefined;
  /** Read parameters it accepts. */
  readonly parameters?: readonly string[] | undefined;
}

/**
 * A named kind of in-memory object and its structure (daf_butler's StorageClass): the Python type daf_butler
 * uses for it, its components and read parameters, and how butler-ts checks, takes apart and converts its
 * JavaScript objects. Frozen; made by a {@link StorageClassRegistry}.
 */
export interface StorageClass {
  readonly name: string;
  /** daf_butler's Python type string, for display and export. */
  readonly pytype: string;
  readonly inheritsFrom: string | null;
  /** Names of the storage classes it inherits from, nearest first. */
  readonly ancestors: readonly string[];
  /** Read/write components (name -> storage class name), inherited ones included. */
  readonly components: Readonly<Record<string, string>>;
  /** Read-only computed components (name -> storage class name), inherited ones included. */
  readonly derivedComponents: Readonly<Record<string, string>>;
  /** Read parameters it accepts, inherited ones included. */
  readonly parameters: readonly string[];
  /** Whether it has read/write components. */
  isComposite(): boolean;
  /**
   * The storage class name of a component (read/write or derived).
   * @throws {UnknownComponentError} listing its components.
   */
  componentStorageClass(component: string): string;
  /**
   * Check that `object` is of this storage class.
   * @throws {StorageClassError} saying what was expected and what was given.
   */
  validate(object: unknown): void;
  /**
   * A component of an object of this class: a read/write component is the object's property of that name
   * (null when absent, as daf_butler gives None); a derived one is computed.
   * @throws {UnknownComponentError} for a name that is not one of its components.
   * @throws {StorageClassError} when the object cannot hold components.
   * @throws {MissingDependencyError} for a derived component butler-ts cannot compute yet.
   */
  getComponent(object: unknown, component: string): unknown;
  /**
   * The object with read parameters applied (undefined values are ignored; none gives the object back).
   * @throws {StorageClassError} for a parameter it does not accept, naming the ones it does.
   * @throws {MissingDependencyError} for parameters butler-ts cannot apply to this type yet.
   */
  applyParameters(object: unknown, parameters: Readonly<Record<string, unknown>>): unknown;
  /** Whether its objects can be returned as `other`'s: same class or Python type, an ancestor, or a converter. */
  canConvertTo(other: StorageClass): boolean;
  /**
   * An object of this class as an object of `other`.
   * @throws {StorageClassError} when there is no conversion, or the result does not fit `other`.
   */
  convertTo(object: unknown, other: StorageClass): unknown;
  /**
   * `object` as this class's in-memory form: itself when it fits, else converted from a type that can be.
   * @throws {StorageClassError} when it fits neither.
   */
  coerce(object: unknown): unknown;
  /** Whether both define the same thing (name, pytype, parent, components, parameters). */
  equals(other: StorageClass): boolean;
}

/**
 * A storage class from its definition, merged over its parent's (`inheritsFrom`, already made).
 * @throws {StorageClassError} when `parent` is not the class `inheritsFrom` names.
 */
export function makeStorageClass(
  definition: StorageClassDefinition,
  parent: StorageClass | null,
): StorageClass {
  if ((definition.inheritsFrom ?? null) !== (parent?.name ?? null)) {
    throw new StorageClassError(
      `Storage class "${definition.name}" inherits from "${definition.inheritsFrom ?? "nothing"}", not "${parent?.name ?? "nothing"}"`,
    );
  }
  return new DefinedStorageClass(definition, parent);
}

class DefinedStorageClass implements StorageClass {
  readonly name: string;
  readonly pytype: string;
  readonly inheritsFrom: string | null;
  readonly ancestors: readonly string[];
  readonly components: Readonly<Record<string, string>>;
  readonly derivedComponents: Readonly<Record<string, string>>;
  readonly parameters: readonly string[];
  /** The delegate of its own or its nearest ancestor's pytype, when butler-ts models that type. */
  readonly #modelled: StorageClassDelegate | undefined;
  readonly #delegate: StorageClassDelegate;

  constructor(definition: StorageClassDefinition, parent: StorageClass | null) {
    this.name = definition.name;
    this.pytype = definition.pytype ?? parent?.pytype ?? "object";
    this.inheritsFrom = parent?.name ?? null;
    this.ancestors = Object.freeze(parent === null ? [] : [parent.name, ...parent.ancestors]);
    this.components = Object.freeze({ ...parent?.components, ...definition.components });
    this.derivedComponents = Object.freeze({ ...parent?.derivedComponents, ...definition.derivedComponents });
    this.parameters = Object.freeze([
      ...new Set([...(parent?.parameters ?? []), ...(definition.parameters ?? [])]),
    ]);
    const inherited = parent instanceof DefinedStorageClass ? parent.#modelled : undefined;
    this.#modelled = DELEGATES[this.pytype] ?? inherited;
    this.#delegate = this.#modelled ?? genericDelegate(this.pytype, this.isComposite());
    Object.freeze(this);
  }

  isComposite(): boolean {
    return Object.keys(this.components).length > 0;
  }

  componentStorageClass(component: string): string {
    const name = this.components[component] ?? this.derivedComponents[component];
    if (name === undefined) throw this.#unknownComponent(component);
    return name;
  }

  validate(object: unknown): void {
    if (this.#delegate.accepts(object)) return;
    throw new StorageClassError(
      `Storage class "${this.name}" expects ${this.#delegate.expected}; got ${describeGiven(object)}`,
      { hint: `Pass ${this.#delegate.expected}, or use a dataset type whose storage class fits the object.` },
    );
  }

  getComponent(object: unknown, component: string): unknown {
    if (Object.hasOwn(this.components, component)) {
      if (object === null || typeof object !== "object") {
        throw new StorageClassError(
          `Cannot take component "${component}" of ${describeGiven(object)}: storage class "${this.name}" expects ${this.#delegate.expected}`,
        );
      }
      return Object.hasOwn(object, component) ? (object as Record<string, unknown>)[component] : null;
    }
    if (!Object.hasOwn(this.derivedComponents, component)) throw this.#unknownComponent(component);
    const derived = this.#delegate.derive?.(object, component);
    if (derived === undefined) {
      throw new MissingDependencyError(
        `butler-ts cannot compute derived component "${component}" of storage class "${this.name}" yet`,
        { hint: "Read the whole dataset and compute it from the object." },
      );
    }
    return derived;
  }

  applyParameters(object: unknown, parameters: Readonly<Record<string, unknown>>): unknown {
    const given = Object.keys(parameters).filter((key) => parameters[key] !== undefined);
    if (given.length === 0) return object;
    for (const key of given) {
      if (this.parameters.includes(key)) continue;
      const known =
        this.parameters.length === 0
          ? "It takes no read parameters."
          : `Its parameters: ${this.parameters.join(", ")}.`;
      const close = didYouMean(key, this.parameters);
      throw new StorageClassError(`Storage class "${this.name}" has no read parameter "${key}"`, {
        hint: close === undefined ? known : `${close} ${known}`,
      });
    }
    if (this.#delegate.applyParameters === undefined) {
      throw new MissingDependencyError(
        `butler-ts cannot apply read parameter${given.length > 1 ? "s" : ""} ${given.map((k) => `"${k}"`).join(", ")} to storage class "${this.name}" (${this.pytype}) yet`,
        { hint: "Read the whole dataset without parameters and select what you need from it." },
      );
    }
    return this.#delegate.applyParameters(object, parameters);
  }

  canConvertTo(other: StorageClass): boolean {
    return this.#sameForm(other) || CONVERTERS.some((c) => c.from === this.pytype && c.to === other.pytype);
  }

  convertTo(object: unknown, other: StorageClass): unknown {
    if (this.#sameForm(other)) return object;
    const converter = CONVERTERS.find((c) => c.from === this.pytype && c.to === other.pytype);
    if (converter === undefined) {
      throw new StorageClassError(
        `Cannot convert storage class "${this.name}" (${this.pytype}) to "${other.name}" (${other.pytype})`,
        {
          hint: "Ask for the dataset type's own storage class, or one with the same Python type or a conversion from it.",
        },
      );
    }
    const converted = converter.convert(object);
    other.validate(converted);
    return converted;
  }

  coerce(object: unknown): unknown {
    if (this.#delegate.accepts(object)) return object;
    for (const converter of CONVERTERS) {
      if (converter.to !== this.pytype || DELEGATES[converter.from]?.accepts(object) !== true) continue;
      const converted = converter.convert(object);
      if (this.#delegate.accepts(converted)) return converted;
    }
    this.validate(object);
    return object;
  }

  equals(other: StorageClass): boolean {
    return (
      this.name === other.name &&
      this.pytype === other.pytype &&
      this.inheritsFrom === other.inheritsFrom &&
      sameEntries(this.components, other.components) &&
      sameEntries(this.derivedComponents, other.derivedComponents) &&
      this.parameters.length === other.parameters.length &&
      this.parameters.every((p) => other.parameters.includes(p))
    );
  }

  toString(): string {
    return `StorageClass(${this.name}, ${this.pytype})`;
  }

  /** Objects of this class already are objects of `other`: same class or Python type, or `other` is an ancestor. */
  #sameForm(other: StorageClass): boolean {
    return other.name === this.name || other.pytype === this.pytype || this.ancestors.includes(other.name);
  }

  #unknownComponent(component: string): UnknownComponentError {
    const names = [...Object.keys(this.components), ...Object.keys(this.derivedComponents)];
    const close = didYouMean(component, names);
    const list = names.length === 0 ? "It has no components." : `Its components: ${names.join(", ")}.`;
    return new UnknownComponentError(`Storage class "${this.name}" has no component "${component}"`, {
      hint: close === undefined ? list : `${close} ${list}`,
    });
  }
}

function sameEntries(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** A value for messages: primitives quoted (`1.5`, `"abc"`), objects by kind. */
function describeGiven(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (typeof value === "bigint") return `${value}n (a bigint)`;
  return describeValue(value);
}
