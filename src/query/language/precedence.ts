/**
 * Binding strength of the binary operators, loosest first; shared by the parser and the printer so that
 * what one writes the other reads back. Levels 3 (NOT), 7 (`[NOT] IN`) and 10 (unary signs) have no
 * binary operators; 11 is anything that needs no parentheses (literals, names, calls, tuples).
 */
export const BINARY_LEVEL: ReadonlyMap<string, number> = new Map([
  ["OR", 1],
  ["AND", 2],
  ["OVERLAPS", 4],
  ["=", 5],
  ["!=", 5],
  ["<", 6],
  ["<=", 6],
  [">", 6],
  [">=", 6],
  ["+", 8],
  ["-", 8],
  ["*", 9],
  ["/", 9],
  ["%", 9],
]);

/** Level of `NOT x`: looser than comparisons, tighter than AND. */
export const NOT_LEVEL = 3;
/** Level of `x [NOT] IN (...)`: its operand is an arithmetic expression, it is an operand of comparisons. */
export const IN_LEVEL = 7;
/** Level of the unary signs `-x` and `+x`. */
export const SIGN_LEVEL = 10;
/** Level of literals, names, binds, calls and tuples. */
export const ATOM_LEVEL = 11;
