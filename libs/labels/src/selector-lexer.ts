/**
 * Tokenizer for label selectors, equivalent to the lexer in k8s.io/apimachinery/pkg/labels/selector.go:
 * whitespace is ' ', '\t', '\r', '\n'; `= ! ( ) , > <` are symbols (`==` and `!=` are one token);
 * any other run of characters is an identifier, except the keywords `in` and `notin`.
 * Identifiers are not validated here: the parser checks them against the label rules.
 */
export type SymbolKind = '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<';
export type TokenKind = SymbolKind | 'identifier' | 'in' | 'notin' | 'end';

export interface Token {
  readonly kind: TokenKind;
  /** Source text; '' for the end token. */
  readonly text: string;
  /** 0-based offset in the input; the input length for the end token. */
  readonly position: number;
}

const SINGLE_SYMBOLS: ReadonlyMap<string, SymbolKind> = new Map<string, SymbolKind>([
  ['=', '='],
  ['!', '!'],
  ['(', '('],
  [')', ')'],
  [',', ','],
  ['>', '>'],
  ['<', '<'],
]);
const DOUBLE_SYMBOLS: ReadonlyMap<string, SymbolKind> = new Map<string, SymbolKind>([
  ['==', '=='],
  ['!=', '!='],
]);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

function isIdentifierChar(ch: string): boolean {
  return !SINGLE_SYMBOLS.has(ch) && !WHITESPACE.has(ch);
}

/** Splits a selector into tokens; the last token is always `end`. Never throws. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  for (;;) {
    while (pos < input.length && WHITESPACE.has(input.charAt(pos))) pos++;
    if (pos >= input.length) {
      tokens.push({ kind: 'end', text: '', position: input.length });
      return tokens;
    }
    const double = DOUBLE_SYMBOLS.get(input.slice(pos, pos + 2));
    const single = SINGLE_SYMBOLS.get(input.charAt(pos));
    if (double !== undefined) {
      tokens.push({ kind: double, text: input.slice(pos, pos + 2), position: pos });
      pos += 2;
    } else if (single !== undefined) {
      tokens.push({ kind: single, text: input.charAt(pos), position: pos });
      pos += 1;
    } else {
      const start = pos;
      while (pos < input.length && isIdentifierChar(input.charAt(pos))) pos++;
      const text = input.slice(start, pos);
      const kind = text === 'in' || text === 'notin' ? text : 'identifier';
      tokens.push({ kind, text, position: start });
    }
  }
}

/** How a token is named in error reasons. */
export function describeToken(token: Token): string {
  return token.kind === 'end' ? 'end of string' : `'${token.text}'`;
}
