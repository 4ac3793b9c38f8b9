/** Which styles can write a scalar in block context: PyYAML's `ScalarAnalysis`, without `allow_unicode`. */
export interface ScalarAnalysis {
  readonly empty: boolean;
  /** It holds a line break. */
  readonly multiline: boolean;
  /** Plain (unquoted) style can write it in block context, as far as its characters go. */
  readonly allowPlain: boolean;
  readonly allowSingleQuoted: boolean;
  /** Literal or folded block style (`|`, `>`) can write it. */
  readonly allowBlock: boolean;
}

const EMPTY: ScalarAnalysis = Object.freeze({
  empty: true,
  multiline: false,
  allowPlain: true,
  allowSingleQuoted: true,
  allowBlock: false,
});

/**
 * PyYAML's `analyze_scalar` for block context with `allow_unicode` off: every character outside
 * printable ASCII (line feed aside) allows only double quotes.
 */
export function analyzeScalar(text: string): ScalarAnalysis {
  if (text === "") return EMPTY;
  const last = text.length - 1;
  let indicators = text.startsWith("---") || text.startsWith("...") || FIRST_INDICATOR.test(text);
  let lineBreaks = false;
  let special = false;
  let breakSpace = false;
  let spaceBreak = false;
  // Code units suffice: a surrogate is outside printable ASCII, as is the character it is part of.
  for (let i = 0; i <= last; i++) {
    const code = text.charCodeAt(i);
    // Printable ASCII other than ":" and "#" decides nothing by itself.
    if (code >= 0x21 && code <= 0x7e && code !== 0x3a && code !== 0x23) continue;
    if (code === 0x3a && (i === last || isSpaceOrBreak(text.charCodeAt(i + 1)))) indicators = true;
    if (code === 0x23 && i > 0 && isSpaceOrBreak(text.charCodeAt(i - 1))) indicators = true;
    const lineBreak = isBreak(code);
    if (lineBreak) lineBreaks = true;
    if (code !== 0x0a && (code < 0x20 || code > 0x7e)) special = true;
    const previous = i > 0 ? text.charCodeAt(i - 1) : -1;
    if (code === 0x20 && isBreak(previous)) breakSpace = true;
    if (lineBreak && previous === 0x20) spaceBreak = true;
  }
  const first = text.charCodeAt(0);
  const lastCode = text.charCodeAt(last);
  const edges = first === 0x20 || lastCode === 0x20 || isBreak(first) || isBreak(lastCode);
  const onlyDouble = spaceBreak || special;
  return {
    empty: false,
    multiline: lineBreaks,
    allowPlain: !(edges || breakSpace || onlyDouble || lineBreaks || indicators),
    allowSingleQuoted: !(breakSpace || onlyDouble),
    allowBlock: !(lastCode === 0x20 || onlyDouble),
  };
}

/** A first character that stops a block plain scalar (`-`, `?`, `:` only when a space or break follows). */
const FIRST_INDICATOR = /^(?:[#,[\]{}&*!|>'"%@`]|[-?:](?:$|[\0 \t\r\n\x85\u2028\u2029]))/;

function isBreak(code: number): boolean {
  return code === 0x0a || code === 0x85 || code === 0x2028 || code === 0x2029;
}

function isSpaceOrBreak(code: number): boolean {
  return code === 0 || code === 0x20 || code === 0x09 || code === 0x0d || isBreak(code);
}
