import type { Expression } from "./ast.ts";
import { ATOM_LEVEL, BINARY_LEVEL, IN_LEVEL, NOT_LEVEL, SIGN_LEVEL } from "./precedence.ts";

/**
 * Write a syntax tree back as canonical `where` text: upper-case keywords and function names, single
 * spaces around binary operators, and parentheses only where precedence or left-associativity needs them,
 * so that `parseExpression(printExpression(tree))` gives back `tree` (spans aside).
 *
 * The tree must be one the parser can produce: strings without `'` or line breaks, names that are valid
 * identifiers and not reserved words, ranges only as IN items.
 *
 * @example printExpression(parseExpression("visit in (1..5) and not (a or b)")!) // "visit IN (1..5) AND NOT (a OR b)"
 */
export function printExpression(e: Expression): string {
  return print(e, 1);
}

function print(e: Expression, minLevel: number): string {
  const text = printNode(e);
  return levelOf(e) < minLevel ? `(${text})` : text;
}

function levelOf(e: Expression): number {
  switch (e.kind) {
    case "binary":
      return BINARY_LEVEL.get(e.operator) as number;
    case "unary":
      return e.operator === "NOT" ? NOT_LEVEL : SIGN_LEVEL;
    case "in":
      return IN_LEVEL;
    default:
      return ATOM_LEVEL;
  }
}

function printNode(e: Expression): string {
  switch (e.kind) {
    case "binary": {
      // Long AND/OR chains are left-deep trees: walk their left spine in a loop, not by recursion.
      const level = BINARY_LEVEL.get(e.operator) as number;
      const tails: string[] = [];
      let node: Expression = e;
      while (node.kind === "binary" && BINARY_LEVEL.get(node.operator) === level) {
        tails.push(` ${node.operator} ${print(node.right, level + 1)}`);
        node = node.left;
      }
      return print(node, level) + tails.reverse().join("");
    }
    case "unary":
      if (e.operator === "NOT") return `NOT ${print(e.operand, NOT_LEVEL)}`;
      // A sign right before a number would make the parser read one signed number literal.
      return e.operand.kind === "number"
        ? `${e.operator}(${e.operand.text})`
        : `${e.operator}${print(e.operand, SIGN_LEVEL)}`;
    case "in":
      return `${print(e.operand, IN_LEVEL + 1)} ${e.negated ? "NOT IN" : "IN"} (${printList(e.items)})`;
    case "call":
      return `${e.name}(${printList(e.args)})`;
    case "tuple":
      return `(${printList(e.items)})`;
    case "number":
      return e.text;
    case "string":
      return `'${e.value}'`;
    case "time":
      return `T'${e.text}'`;
    case "null":
      return "NULL";
    case "range":
      return e.stride === 1 ? `${e.start}..${e.stop}` : `${e.start}..${e.stop}:${e.stride}`;
    case "identifier":
      return e.parts.join(".");
    case "bind":
      return `:${e.name}`;
  }
}

function printList(items: readonly Expression[]): string {
  return items.map((item) => print(item, 1)).join(", ");
}
