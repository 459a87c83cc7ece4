/**
 * Go's strconv.Quote (the `%q` verb), which upstream uses to write label and
 * annotation values for the downward API. Pure.
 */

/** Go's unicode.IsPrint: categories L, M, N, P, S plus the ASCII space. */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

const NAMED_ESCAPES = new Map<string, string>([
  ["\x07", "\\a"],
  ["\b", "\\b"],
  ["\f", "\\f"],
  ["\n", "\\n"],
  ["\r", "\\r"],
  ["\t", "\\t"],
  ["\v", "\\v"],
  ["\\", "\\\\"],
  ['"', '\\"'],
]);

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, "0");
}

function escapeRune(ch: string): string {
  const named = NAMED_ESCAPES.get(ch);
  if (named !== undefined) return named;
  if (PRINTABLE.test(ch)) return ch;
  const r = ch.codePointAt(0) as number;
  if (r < 0x80) return `\\x${hex(r, 2)}`;
  if (r < 0x10000) return `\\u${hex(r, 4)}`;
  return `\\U${hex(r, 8)}`;
}

/**
 * `s` as a double-quoted Go string literal. A lone surrogate counts as U+FFFD,
 * which is what Go's JSON decoder makes of one (and U+FFFD is printable).
 */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const r = ch.codePointAt(0) as number;
    out += r >= 0xd800 && r <= 0xdfff ? "\ufffd" : escapeRune(ch);
  }
  return `${out}"`;
}
