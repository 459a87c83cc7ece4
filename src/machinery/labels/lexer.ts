/**
 * The label selector tokenizer: identifiers, the keywords `in`/`notin` and the
 * operator symbols, with upstream's whitespace and longest-match rules.
 */

export type TokenKind =
  | "error"
  | "end"
  | "closedPar"
  | "comma"
  | "doesNotExist"
  | "doubleEquals"
  | "equals"
  | "greaterThan"
  | "identifier"
  | "in"
  | "lessThan"
  | "notEquals"
  | "notIn"
  | "openPar";

export interface Token {
  readonly kind: TokenKind;
  readonly literal: string;
}

const LITERAL_TOKENS: ReadonlyMap<string, TokenKind> = new Map<string, TokenKind>([
  [")", "closedPar"],
  [",", "comma"],
  ["!", "doesNotExist"],
  ["==", "doubleEquals"],
  ["=", "equals"],
  [">", "greaterThan"],
  ["in", "in"],
  ["<", "lessThan"],
  ["!=", "notEquals"],
  ["notin", "notIn"],
  ["(", "openPar"],
]);

function isWhitespace(ch: string): boolean {
  return ch === " " || ch === "\t" || ch === "\r" || ch === "\n";
}

function isSpecialSymbol(ch: string): boolean {
  return "=!(),><".includes(ch) && ch.length === 1;
}

/** Split a selector string into tokens, ending with one `end` token. */
export function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  const at = (i: number): string => (i < input.length ? (input[i] as string) : "");

  for (;;) {
    while (pos < input.length && isWhitespace(at(pos))) pos++;
    const ch = at(pos);
    if (ch === "") {
      tokens.push({ kind: "end", literal: "" });
      return tokens;
    }
    if (isSpecialSymbol(ch)) {
      // Longest run of symbols that still names a token.
      let buffer = "";
      let last: Token | undefined;
      while (pos < input.length && isSpecialSymbol(at(pos))) {
        const next = buffer + at(pos);
        const kind = LITERAL_TOKENS.get(next);
        if (kind !== undefined) {
          buffer = next;
          last = { kind, literal: next };
          pos++;
        } else if (last !== undefined) {
          break;
        } else {
          buffer = next;
          pos++;
        }
      }
      tokens.push(last ?? { kind: "error", literal: `error expected: keyword found '${buffer}'` });
      continue;
    }
    let buffer = "";
    while (pos < input.length && !isSpecialSymbol(at(pos)) && !isWhitespace(at(pos))) {
      buffer += at(pos);
      pos++;
    }
    tokens.push({ kind: LITERAL_TOKENS.get(buffer) ?? "identifier", literal: buffer });
  }
}
