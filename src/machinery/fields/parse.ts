/**
 * The field selector string parser: terms split on unescaped commas, sorted,
 * each `field=value`, `field==value` or `field!=value` with `\`, `,` and `=`
 * escaped by a backslash in values. Messages match upstream's.
 */
import {
  andSelectors,
  type FieldSelector,
  oneTermEqualSelector,
  oneTermNotEqualSelector,
  type TransformFn,
} from "./selector.js";

/** A field selector string that cannot be parsed (the API's 400). */
export class FieldSelectorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Undo escapeValue; throws FieldSelectorError on a bad escape or a bare `,` or `=`. */
export function unescapeValue(s: string): string {
  if (!/[\\,=]/.test(s)) return s;
  let out = "";
  let inSlash = false;
  for (const c of s) {
    if (inSlash) {
      if (c !== "\\" && c !== "," && c !== "=") {
        throw new FieldSelectorError(`invalid field selector: invalid escape sequence: \\${c}`);
      }
      out += c;
      inSlash = false;
      continue;
    }
    if (c === "\\") inSlash = true;
    else if (c === "," || c === "=") {
      // Upstream prints the rune as a number.
      throw new FieldSelectorError(
        `invalid field selector: unescaped character in value: ${c.codePointAt(0)}`,
      );
    } else out += c;
  }
  if (inSlash) throw new FieldSelectorError("invalid field selector: invalid escape sequence: \\");
  return out;
}

function splitTerms(selector: string): string[] {
  if (selector.length === 0) return [];
  const terms: string[] = [];
  let start = 0;
  let inSlash = false;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (inSlash) inSlash = false;
    else if (c === "\\") inSlash = true;
    else if (c === ",") {
      terms.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  terms.push(selector.slice(start));
  return terms;
}

const TERM_OPERATORS = ["!=", "==", "="] as const;

function splitTerm(term: string): { lhs: string; op: string; rhs: string } | undefined {
  for (let i = 0; i < term.length; i++) {
    for (const op of TERM_OPERATORS) {
      if (term.startsWith(op, i))
        return { lhs: term.slice(0, i), op, rhs: term.slice(i + op.length) };
    }
  }
  return undefined;
}

const identity: TransformFn = (field, value) => ({ field, value });

/**
 * Parse a field selector; the empty string selects everything. `transform`
 * rewrites each term (upstream's ParseAndTransformSelector).
 */
export function parseFieldSelector(
  selector: string,
  opts: { transform?: TransformFn } = {},
): FieldSelector {
  const parts = splitTerms(selector).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const items: FieldSelector[] = [];
  for (const part of parts) {
    if (part === "") continue;
    const split = splitTerm(part);
    if (split === undefined) {
      throw new FieldSelectorError(`invalid selector: '${selector}'; can't understand '${part}'`);
    }
    const value = unescapeValue(split.rhs);
    items.push(
      split.op === "!="
        ? oneTermNotEqualSelector(split.lhs, value)
        : oneTermEqualSelector(split.lhs, value),
    );
  }
  const fn = opts.transform ?? identity;
  return items.length === 1
    ? (items[0] as FieldSelector).transform(fn)
    : andSelectors(...items).transform(fn);
}
