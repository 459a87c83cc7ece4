/**
 * The YAML text gnostic stores in an `Any`: vendor extensions, defaults,
 * enums and examples are kept as the YAML of their JSON value (block style,
 * four-space indentation, a sequence's items' content two columns in, as
 * go-yaml v3 writes it). Clients parse it back with a YAML 1.1 parser, so a
 * string is quoted whenever either YAML 1.1 or 1.2 could read it as
 * something else.
 */

const INDENT = 4;

/** Words YAML 1.1 or 1.2 resolves to null or a boolean. */
const NON_STRING_WORDS = new Set([
  "",
  "~",
  "null",
  "Null",
  "NULL",
  "true",
  "True",
  "TRUE",
  "false",
  "False",
  "FALSE",
  "y",
  "Y",
  "yes",
  "Yes",
  "YES",
  "n",
  "N",
  "no",
  "No",
  "NO",
  "on",
  "On",
  "ON",
  "off",
  "Off",
  "OFF",
  "<<",
]);

/** Anything that might read as a number (ints, floats, octal, hex, sexagesimal, .inf, .nan). */
const NUMBER_LIKE = /^[-+]?(?:[0-9]|\.[0-9]|\.(?:inf|Inf|INF|nan|NaN|NAN)$)/;

/** Characters that may not start a plain scalar. */
const INDICATOR_START = /^[-?:,[\]{}#&*!|>'"%@`\s]/;

/** Sequences that end a plain scalar early, and edge whitespace. */
const PLAIN_BREAKERS = /: |:$| #|\s$|[\t]/;

/** Characters a single-quoted scalar cannot hold as they are. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const NEEDS_ESCAPES = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ufeff]/;

function isNonString(s: string): boolean {
  return NON_STRING_WORDS.has(s) || NUMBER_LIKE.test(s);
}

/** A string as a YAML scalar: plain when safe, else single, else double quoted. */
export function yamlString(s: string): string {
  if (NEEDS_ESCAPES.test(s)) return JSON.stringify(s);
  // go-yaml double-quotes strings that would resolve to another type.
  if (isNonString(s)) return JSON.stringify(s);
  if (INDICATOR_START.test(s) || PLAIN_BREAKERS.test(s) || s.startsWith("---")) {
    return `'${s.replaceAll("'", "''")}'`;
  }
  return s;
}

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return yamlString(value);
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : ".nan";
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.length === 0 ? "[]" : undefined;
  if (typeof value === "object") return Object.keys(value).length === 0 ? "{}" : undefined;
  return "null";
}

/** The indentation of a collection nested under a mapping key at `indent`. */
function nested(indent: number): number {
  return INDENT * Math.floor((indent + INDENT) / INDENT);
}

/**
 * Appends the lines of a non-empty collection. `inline` says the first line
 * continues the current one (after "- "), so it gets no indentation.
 */
function block(out: string[], options: { value: object; indent: number; inline: boolean }): void {
  const { value, indent } = options;
  let pad = options.inline ? "" : " ".repeat(indent);
  const rest = " ".repeat(indent);
  if (Array.isArray(value)) {
    for (const item of value) {
      const s = scalar(item);
      if (s !== undefined) out.push(`${pad}- ${s}\n`);
      else {
        out.push(`${pad}- `);
        block(out, { value: item as object, indent: indent + 2, inline: true });
      }
      pad = rest;
    }
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    const k = yamlString(key);
    const s = scalar(item);
    if (s !== undefined) out.push(`${pad}${k}: ${s}\n`);
    else {
      out.push(`${pad}${k}:\n`);
      block(out, { value: item as object, indent: nested(indent), inline: false });
    }
    pad = rest;
  }
}

/** A JSON value as a YAML document, ending in a newline. */
export function toYaml(value: unknown): string {
  const s = scalar(value);
  if (s !== undefined) return `${s}\n`;
  const out: string[] = [];
  block(out, { value: value as object, indent: 0, inline: false });
  return out.join("");
}
