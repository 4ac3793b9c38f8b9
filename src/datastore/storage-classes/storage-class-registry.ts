import { ConfigNode } from "../../config/config-node.ts";
import { ConfigError, ConflictingDefinitionError, StorageClassError } from "../../errors.ts";
import { didYouMean } from "../../util/suggest.ts";
import { DEFAULT_STORAGE_CLASSES } from "./default-storage-classes.ts";
import { makeStorageClass, type StorageClass, type StorageClassDefinition } from "./storage-class.ts";

/** Keys of a storage class in daf_butler's config that name Python code; butler-ts's behaviour comes from pytypes. */
const PYTHON_ONLY_KEYS = ["delegate", "converters", "assembler"];
const KEYS = ["pytype", "inheritsFrom", "components", "derivedComponents", "parameters", ...PYTHON_ONLY_KEYS];

/**
 * The storage classes of one repository or process, by name (daf_butler's StorageClassFactory without the
 * global instance): daf_butler's defaults, then those of a repository's `storageClasses:` config.
 * Definitions are only ever added; defining a name again the same way changes nothing.
 *
 * @example
 * const classes = defaultStorageClasses();
 * classes.get("StructuredDataDict").validate({ seeing: 0.7 });
 */
export class StorageClassRegistry {
  readonly #classes = new Map<string, StorageClass>();

  private constructor() {}

  /** A registry with no storage classes. */
  static empty(): StorageClassRegistry {
    return new StorageClassRegistry();
  }

  /**
   * A storage class by name.
   * @throws {StorageClassError} for an unknown name, suggesting close ones.
   */
  get(name: string): StorageClass {
    const found = this.#classes.get(name);
    if (found !== undefined) return found;
    throw new StorageClassError(`Unknown storage class "${name}"`, {
      hint:
        didYouMean(name, this.#classes.keys()) ??
        "Define it under storageClasses: in butler.yaml (pytype, inheritsFrom, components, parameters).",
    });
  }

  /** Whether a storage class of this name is defined. */
  has(name: string): boolean {
    return this.#classes.has(name);
  }

  /** Names of every storage class, in definition order. */
  names(): string[] {
    return [...this.#classes.keys()];
  }

  /**
   * Define a storage class; its parent (`inheritsFrom`) must already be defined.
   * @throws {StorageClassError} for an unknown parent or an empty name.
   * @throws {ConflictingDefinitionError} when the name is already defined differently.
   */
  register(definition: StorageClassDefinition): StorageClass {
    if (definition.name.trim() === "") throw new StorageClassError("A storage class needs a name");
    const parent = definition.inheritsFrom == null ? null : this.get(definition.inheritsFrom);
    const made = makeStorageClass(definition, parent);
    const existing = this.#classes.get(made.name);
    if (existing === undefined) {
      this.#classes.set(made.name, made);
      return made;
    }
    if (existing.equals(made)) return existing;
    throw new ConflictingDefinitionError(`Storage class "${made.name}" is already defined differently`, {
      hint: `It is ${describe(existing)}; the new definition gives ${describe(made)}. Use another name.`,
    });
  }

  /**
   * Define the storage classes of a `storageClasses:` config section (daf_butler's shape: `pytype`,
   * `inheritsFrom`, `components`, `derivedComponents`, `parameters`), a parent defined later in the same
   * section first. `delegate`, `converters` and `assembler` name Python code and are ignored: butler-ts
   * picks behaviour by pytype. Returns the classes defined, in section order.
   * @throws {ConfigError} naming the path of a malformed entry, an unknown parent or an inheritance cycle.
   * @throws {ConflictingDefinitionError} for a name already defined differently.
   */
  addFromConfig(raw: unknown, path = "storageClasses"): StorageClass[] {
    const section = ConfigNode.of(raw ?? {}, path);
    const pending = new Map(section.keys().map((name) => [name, section.node(name)]));
    const defining: string[] = [];
    const define = (name: string): StorageClass => {
      const node = pending.get(name);
      if (node === undefined) return this.#classes.get(name) as StorageClass;
      if (defining.includes(name)) {
        throw new ConfigError(
          `storage classes inherit from each other: ${[...defining, name].join(" -> ")}`,
          {
            path: node.path,
          },
        );
      }
      defining.push(name);
      const definition = readDefinition(name, node);
      if (definition.inheritsFrom != null) {
        if (!pending.has(definition.inheritsFrom) && !this.has(definition.inheritsFrom)) {
          throw new ConfigError(`unknown storage class "${definition.inheritsFrom}"`, {
            path: node.pathOf("inheritsFrom"),
            hint: didYouMean(definition.inheritsFrom, [...pending.keys(), ...this.#classes.keys()]),
          });
        }
        define(definition.inheritsFrom);
      }
      defining.pop();
      pending.delete(name);
      return this.register(definition);
    };
    return section.keys().map(define);
  }
}

/** A registry holding daf_butler's default storage classes (and our `Text`); each call makes a new one. */
export function defaultStorageClasses(): StorageClassRegistry {
  const registry = StorageClassRegistry.empty();
  for (const definition of DEFAULT_STORAGE_CLASSES) registry.register(definition);
  return registry;
}

function readDefinition(name: string, node: ConfigNode): StorageClassDefinition {
  node.rejectUnknownKeys(KEYS);
  return {
    name,
    pytype: node.optionalString("pytype"),
    inheritsFrom: node.optionalString("inheritsFrom") ?? null,
    components: nameMap(node, "components"),
    derivedComponents: nameMap(node, "derivedComponents"),
    parameters: node.stringList("parameters"),
  };
}

/** A mapping of component names to storage class names. */
function nameMap(node: ConfigNode, key: string): Record<string, string> {
  const inner = node.node(key, { optional: true });
  if (inner === undefined) return {};
  return Object.fromEntries(inner.keys().map((component) => [component, inner.string(component)]));
}

function describe(storageClass: StorageClass): string {
  const parts = [`pytype ${storageClass.pytype}`];
  if (storageClass.inheritsFrom !== null) parts.push(`inheritsFrom ${storageClass.inheritsFrom}`);
  const components = Object.keys(storageClass.components);
  if (components.length > 0) parts.push(`components ${components.join(", ")}`);
  const derived = Object.keys(storageClass.derivedComponents);
  if (derived.length > 0) parts.push(`derivedComponents ${derived.join(", ")}`);
  if (storageClass.parameters.length > 0) parts.push(`parameters ${storageClass.parameters.join(", ")}`);
  return parts.join("; ");
}
