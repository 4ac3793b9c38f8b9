import type { Predicate, ValueExpression } from "./expressions.ts";

type Key = string | number;

function literalKey(value: ValueExpression): Key | undefined {
  return value.kind === "literal" && (typeof value.value === "string" || typeof value.value === "number")
    ? value.value
    : undefined;
}

function isKeyOf(value: ValueExpression, dimension: string): boolean {
  return value.kind === "column" && value.column.kind === "key" && value.column.dimension === dimension;
}

/**
 * The values a predicate pins a dimension to in every row it admits (`instrument = 'HSC'`,
 * `instrument IN ('HSC', 'LSSTCam')`, each branch of an OR), or undefined when it leaves the dimension
 * free. Used for daf_butler's governor rule and to skip collections that hold no such values.
 */
export function constrainedValues(predicate: Predicate, dimension: string): ReadonlySet<Key> | undefined {
  switch (predicate.kind) {
    case "and": {
      let result: Set<Key> | undefined;
      for (const operand of predicate.operands) {
        const values = constrainedValues(operand, dimension);
        if (values === undefined) continue;
        result = result === undefined ? new Set(values) : new Set([...result].filter((v) => values.has(v)));
      }
      return result;
    }
    case "or": {
      const result = new Set<Key>();
      for (const operand of predicate.operands) {
        const values = constrainedValues(operand, dimension);
        if (values === undefined) return undefined;
        for (const v of values) result.add(v);
      }
      return result;
    }
    case "compare": {
      if (predicate.operator !== "=") return undefined;
      const value = isKeyOf(predicate.left, dimension)
        ? literalKey(predicate.right)
        : isKeyOf(predicate.right, dimension)
          ? literalKey(predicate.left)
          : undefined;
      return value === undefined ? undefined : new Set([value]);
    }
    case "in": {
      if (!isKeyOf(predicate.operand, dimension)) return undefined;
      const values = predicate.values.map(literalKey);
      return values.every((v) => v !== undefined) ? new Set(values as Key[]) : undefined;
    }
    default:
      return undefined;
  }
}
