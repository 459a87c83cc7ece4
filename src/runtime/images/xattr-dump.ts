/**
 * The text format of `getfattr --dump -e hex` / `setfattr --restore`:
 *   # file: <escaped path>
 *   name=0x<hex>
 * Paths escape backslash, newline and non-printable bytes as `\ooo`.
 */

export type XattrMap = Map<string, Record<string, Buffer>>;

export function escapeDumpPath(path: string): string {
  let out = "";
  for (const byte of Buffer.from(path, "utf8")) {
    if (byte === 0x5c || byte === 0x0a || byte === 0x0d || byte < 0x20 || byte === 0x7f) {
      out += `\\${byte.toString(8).padStart(3, "0")}`;
    } else {
      out += String.fromCharCode(byte);
    }
  }
  // Non-ASCII bytes were emitted as latin1 code units; turn them back into UTF-8 text.
  return Buffer.from(out, "latin1").toString("utf8");
}

export function unescapeDumpPath(text: string): string {
  const bytes: number[] = [];
  const raw = Buffer.from(text, "utf8");
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    if (
      b === 0x5c &&
      i + 3 < raw.length + 0 &&
      /^[0-7]{3}$/.test(raw.subarray(i + 1, i + 4).toString("latin1"))
    ) {
      bytes.push(Number.parseInt(raw.subarray(i + 1, i + 4).toString("latin1"), 8));
      i += 3;
    } else {
      bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** Renders a restore script for setfattr. */
export function formatXattrDump(
  entries: readonly { path: string; xattrs: Record<string, Buffer> }[],
): string {
  let out = "";
  for (const { path, xattrs } of entries) {
    const names = Object.keys(xattrs);
    if (names.length === 0) continue;
    out += `# file: ${escapeDumpPath(path)}\n`;
    for (const name of names) out += `${name}=0x${(xattrs[name] as Buffer).toString("hex")}\n`;
    out += "\n";
  }
  return out;
}

/** Parses getfattr's hex dump. Values printed as text or base64 are decoded too. */
export function parseXattrDump(text: string): XattrMap {
  const out: XattrMap = new Map();
  let current: Record<string, Buffer> | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("# file: ")) {
      current = {};
      out.set(unescapeDumpPath(line.slice("# file: ".length)), current);
      continue;
    }
    if (!current || line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) {
      current[line] = Buffer.alloc(0);
      continue;
    }
    const name = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (value.startsWith("0x")) current[name] = Buffer.from(value.slice(2), "hex");
    else if (value.startsWith("0s")) current[name] = Buffer.from(value.slice(2), "base64");
    else if (value.startsWith('"') && value.endsWith('"'))
      current[name] = Buffer.from(value.slice(1, -1));
    else current[name] = Buffer.from(value);
  }
  return out;
}
