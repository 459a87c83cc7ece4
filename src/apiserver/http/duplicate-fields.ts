/**
 * Finds duplicate object keys in a JSON text, as upstream's strict decoder
 * (sigs.k8s.io/json UnmarshalStrict with DisallowDuplicateFields) reports
 * them: `duplicate field "spec.containers[0].name"` — keys joined with ".",
 * list indexes as "[i]", the path of the repeated key, once per path.
 *
 * One linear pass with an explicit stack; the text must already be valid
 * JSON (run it after JSON.parse succeeded): it is not validated again.
 * Keys compare after unescaping, so "a\u0062" and "ab" are the same key.
 */

/** A duplicated key: its dotted path and the offset of its second occurrence. */
export interface DuplicateField {
  readonly path: string;
  readonly offset: number;
}

export interface ScanResult {
  readonly duplicates: DuplicateField[];
  /** For each path asked for in `locate`, the offset of its first key. */
  readonly located: Map<string, number>;
}

interface Frame {
  /** Key (in an object) or index (in an array) that led here from the parent. */
  readonly segment: string | number | undefined;
  readonly isObject: boolean;
  keys: Set<string> | undefined;
  index: number;
  /** The key being read in this object (the segment of its child). */
  key: string;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const COMMA = 0x2c;

function pathOf(stack: readonly Frame[], depth: number, last: string): string {
  let path = "";
  // stack[0] is the root container; each frame's segment leads into it.
  for (let i = 1; i <= depth; i++) {
    const seg = (stack[i] as Frame).segment;
    if (typeof seg === "number") path += `[${seg}]`;
    else path = path === "" ? (seg as string) : `${path}.${seg as string}`;
  }
  return path === "" ? last : `${path}.${last}`;
}

/** Scans `text` for duplicate keys; `locate` asks for the offsets of some key paths too. */
export function scanJsonFields(text: string, locate?: ReadonlySet<string>): ScanResult {
  const duplicates: DuplicateField[] = [];
  const located = new Map<string, number>();
  const reported = new Set<string>();
  const stack: Frame[] = [];
  let depth = -1;
  let expectKey = false;
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      // Find the closing quote: the first one not escaped by an odd run of backslashes.
      let end = text.indexOf('"', i + 1);
      for (;;) {
        if (end < 0) return { duplicates, located };
        let b = end - 1;
        while (text.charCodeAt(b) === BACKSLASH) b--;
        if ((end - 1 - b) % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (expectKey) {
        expectKey = false;
        const frame = stack[depth] as Frame;
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        frame.key = key;
        if (frame.keys === undefined) frame.keys = new Set([key]);
        else if (frame.keys.has(key)) {
          const path = pathOf(stack, depth, key);
          if (!reported.has(path)) {
            reported.add(path);
            duplicates.push({ path, offset: i });
          }
        } else frame.keys.add(key);
        if (locate !== undefined && locate.size > 0) {
          const path = pathOf(stack, depth, key);
          if (locate.has(path) && !located.has(path)) located.set(path, i);
        }
      }
      i = end + 1;
      continue;
    }
    if (c === LBRACE || c === LBRACKET) {
      const parent = depth >= 0 ? (stack[depth] as Frame) : undefined;
      const segment =
        parent === undefined ? undefined : parent.isObject ? parent.key : parent.index;
      const isObject = c === LBRACE;
      depth++;
      stack[depth] = { segment, isObject, keys: undefined, index: 0, key: "" };
      expectKey = isObject;
    } else if (c === RBRACE || c === RBRACKET) {
      depth--;
      expectKey = false;
    } else if (c === COMMA) {
      const frame = stack[depth] as Frame;
      if (frame.isObject) expectKey = true;
      else frame.index++;
    }
    i++;
  }
  return { duplicates, located };
}

/** The paths of the duplicated keys in `text`, in document order. */
export function duplicateFields(text: string): string[] {
  return scanJsonFields(text).duplicates.map((d) => d.path);
}
