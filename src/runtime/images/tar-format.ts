import { TarFormatError } from "./errors.js";

/** Pure encoding and decoding of tar headers: ustar, pax and GNU long names. */

export const BLOCK = 512;

export type TarEntryType = "file" | "link" | "symlink" | "char" | "block" | "dir" | "fifo";

export interface TarEntry {
  /** Path inside the archive, as written (may start with `./`, dirs may end in `/`). */
  readonly name: string;
  readonly type: TarEntryType;
  /** Permission bits including setuid/setgid/sticky (07777). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  /** Seconds since the epoch (fractional from pax). */
  readonly mtime: number;
  readonly linkname: string;
  readonly uname?: string;
  readonly gname?: string;
  readonly devmajor: number;
  readonly devminor: number;
  /** Extended attributes from pax `SCHILY.xattr.*` records. */
  readonly xattrs: Readonly<Record<string, Buffer>>;
}

/** Raw header kinds the reader must handle before a real entry. */
export type RawHeader =
  | { readonly kind: "entry"; readonly entry: TarEntry }
  | { readonly kind: "pax"; readonly size: number; readonly global: boolean }
  | { readonly kind: "gnu-longname"; readonly size: number }
  | { readonly kind: "gnu-longlink"; readonly size: number }
  | { readonly kind: "end" };

const TYPES: Record<string, TarEntryType> = {
  "0": "file",
  "\0": "file",
  "7": "file",
  "1": "link",
  "2": "symlink",
  "3": "char",
  "4": "block",
  "5": "dir",
  "6": "fifo",
};
const FLAGS: Record<TarEntryType, string> = {
  file: "0",
  link: "1",
  symlink: "2",
  char: "3",
  block: "4",
  dir: "5",
  fifo: "6",
};

function cString(buf: Buffer, start: number, len: number): string {
  const slice = buf.subarray(start, start + len);
  const nul = slice.indexOf(0);
  return (nul < 0 ? slice : slice.subarray(0, nul)).toString("utf8");
}

function parseNumber(buf: Buffer, start: number, len: number): number {
  const field = buf.subarray(start, start + len);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    // GNU base-256: big-endian two's complement with the top bit as marker.
    if (((field[0] ?? 0) & 0x40) !== 0)
      throw new TarFormatError("negative base-256 number in tar header");
    let v = (field[0] ?? 0) & 0x3f;
    for (let i = 1; i < field.length; i++) v = v * 256 + (field[i] ?? 0);
    if (!Number.isSafeInteger(v)) throw new TarFormatError("tar header number too large");
    return v;
  }
  const text = field.toString("latin1").replace(/\0.*$/s, "").trim();
  if (text === "") return 0;
  if (!/^[0-7]+$/.test(text))
    throw new TarFormatError(`invalid octal field ${JSON.stringify(text)} in tar header`);
  return Number.parseInt(text, 8);
}

function checksum(block: Buffer): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  return sum;
}

/** Decodes one 512-byte header block. Overrides come from preceding pax/GNU records. */
export function decodeHeader(block: Buffer, overrides: PaxRecords = {}): RawHeader {
  if (block.length !== BLOCK) throw new TarFormatError("short tar header");
  if (block.every((b) => b === 0)) return { kind: "end" };
  if (parseNumber(block, 148, 8) !== checksum(block))
    throw new TarFormatError("tar header checksum mismatch");
  const flag = String.fromCharCode(block[156] ?? 0);
  const size = parseNumber(block, 124, 12);
  if (flag === "x" || flag === "g") return { kind: "pax", size, global: flag === "g" };
  if (flag === "L") return { kind: "gnu-longname", size };
  if (flag === "K") return { kind: "gnu-longlink", size };
  const magic = block.subarray(257, 263).toString("latin1");
  let name = cString(block, 0, 100);
  if (magic === "ustar\0") {
    const prefix = cString(block, 345, 155);
    if (prefix) name = `${prefix}/${name}`;
  }
  let type = TYPES[flag];
  if (type === undefined)
    throw new TarFormatError(`unsupported tar entry type ${JSON.stringify(flag)} for ${name}`);
  if (type === "file" && name.endsWith("/") && flag === "\0") type = "dir";
  const xattrs: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(overrides)) {
    if (k.startsWith("SCHILY.xattr.")) xattrs[k.slice("SCHILY.xattr.".length)] = v;
  }
  const num = (key: string, fallback: number) => {
    const v = overrides[key];
    if (v === undefined) return fallback;
    const n = Number(v.toString("utf8"));
    if (!Number.isFinite(n)) throw new TarFormatError(`invalid pax ${key}`);
    return n;
  };
  const str = (key: string, fallback: string) => overrides[key]?.toString("utf8") ?? fallback;
  const uname = str("uname", cString(block, 265, 32));
  const gname = str("gname", cString(block, 297, 32));
  return {
    kind: "entry",
    entry: {
      name: str("path", name),
      type,
      mode: parseNumber(block, 100, 8) & 0o7777,
      uid: num("uid", parseNumber(block, 108, 8)),
      gid: num("gid", parseNumber(block, 116, 8)),
      size: type === "file" ? num("size", size) : 0,
      mtime: num("mtime", parseNumber(block, 136, 12)),
      linkname: str("linkpath", cString(block, 157, 100)),
      ...(uname ? { uname } : {}),
      ...(gname ? { gname } : {}),
      devmajor: parseNumber(block, 329, 8),
      devminor: parseNumber(block, 337, 8),
      xattrs,
    },
  };
}

/** pax records by key; values are raw bytes (xattr values are binary). */
export type PaxRecords = Record<string, Buffer>;

/** Parses the body of a pax extended header: `<len> <key>=<value>\n` records. */
export function parsePax(body: Buffer): PaxRecords {
  const out: PaxRecords = {};
  let pos = 0;
  while (pos < body.length) {
    if (body[pos] === 0) break;
    const space = body.indexOf(0x20, pos);
    if (space < 0) throw new TarFormatError("malformed pax record");
    const len = Number(body.subarray(pos, space).toString("latin1"));
    if (!Number.isSafeInteger(len) || len <= 0 || pos + len > body.length) {
      throw new TarFormatError("malformed pax record length");
    }
    const record = body.subarray(space + 1, pos + len - 1);
    const eq = record.indexOf(0x3d);
    if (eq < 0) throw new TarFormatError("malformed pax record");
    out[record.subarray(0, eq).toString("utf8")] = Buffer.from(record.subarray(eq + 1));
    pos += len;
  }
  return out;
}

/** A GNU long name body: the name, NUL-terminated. */
export function parseGnuLongName(body: Buffer): string {
  const nul = body.indexOf(0);
  return (nul < 0 ? body : body.subarray(0, nul)).toString("utf8");
}

/** Padding after a body of this size. */
export function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

function writeString(block: Buffer, value: string, start: number, len: number): void {
  block.write(value, start, len, "utf8");
}

function writeOctal(block: Buffer, value: number, start: number, len: number): boolean {
  const text = Math.floor(value).toString(8);
  if (text.length > len - 1) return false;
  block.write(`${text.padStart(len - 1, "0")}\0`, start, len, "latin1");
  return true;
}

function paxRecord(key: string, value: Buffer): Buffer {
  const tail = Buffer.concat([Buffer.from(` ${key}=`, "utf8"), value, Buffer.from("\n")]);
  let len = tail.length + 1;
  while (String(len).length + tail.length !== len) len = String(len).length + tail.length;
  return Buffer.concat([Buffer.from(String(len), "latin1"), tail]);
}

function ustarBlock(fields: {
  name: string;
  prefix: string;
  flag: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtime: number;
  linkname: string;
  uname: string;
  gname: string;
  devmajor: number;
  devminor: number;
}): Buffer {
  const block = Buffer.alloc(BLOCK);
  writeString(block, fields.name, 0, 100);
  writeOctal(block, fields.mode, 100, 8);
  writeOctal(block, fields.uid, 108, 8);
  writeOctal(block, fields.gid, 116, 8);
  writeOctal(block, fields.size, 124, 12);
  writeOctal(block, fields.mtime, 136, 12);
  block.write(fields.flag, 156, 1, "latin1");
  writeString(block, fields.linkname, 157, 100);
  block.write("ustar\x0000", 257, 8, "latin1");
  writeString(block, fields.uname, 265, 32);
  writeString(block, fields.gname, 297, 32);
  writeOctal(block, fields.devmajor, 329, 8);
  writeOctal(block, fields.devminor, 337, 8);
  writeString(block, fields.prefix, 345, 155);
  block.write(`${checksum(block).toString(8).padStart(6, "0")}\0 `, 148, 8, "latin1");
  return block;
}

function splitUstarName(name: string): { name: string; prefix: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { name, prefix: "" };
  for (let i = name.indexOf("/"); i >= 0; i = name.indexOf("/", i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest !== "") {
      return { name: rest, prefix };
    }
  }
  return undefined;
}

export interface EntryInput {
  readonly name: string;
  readonly type: TarEntryType;
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly size?: number;
  readonly mtime?: number;
  readonly linkname?: string;
  readonly uname?: string;
  readonly gname?: string;
  readonly devmajor?: number;
  readonly devminor?: number;
  readonly xattrs?: Readonly<Record<string, Buffer>>;
}

/**
 * The header block(s) for an entry: a pax header first when the name,
 * link name, a number or xattrs do not fit ustar.
 */
export function encodeHeader(input: EntryInput): Buffer {
  const size = input.type === "file" ? (input.size ?? 0) : 0;
  const mtime = Math.floor(input.mtime ?? 0);
  const pax: [string, Buffer][] = [];
  const split = splitUstarName(input.name);
  if (!split || /[^\x20-\x7e]/.test(input.name)) pax.push(["path", Buffer.from(input.name)]);
  const linkname = input.linkname ?? "";
  if (Buffer.byteLength(linkname) > 100 || /[^\x20-\x7e]/.test(linkname)) {
    pax.push(["linkpath", Buffer.from(linkname)]);
  }
  const uid = input.uid ?? 0;
  const gid = input.gid ?? 0;
  if (uid > 0o7777777) pax.push(["uid", Buffer.from(String(uid))]);
  if (gid > 0o7777777) pax.push(["gid", Buffer.from(String(gid))]);
  if (size > 0o77777777777) pax.push(["size", Buffer.from(String(size))]);
  if (input.mtime !== undefined && (mtime < 0 || mtime > 0o77777777777)) {
    pax.push(["mtime", Buffer.from(String(input.mtime))]);
  }
  for (const [k, v] of Object.entries(input.xattrs ?? {})) pax.push([`SCHILY.xattr.${k}`, v]);
  const main = ustarBlock({
    name: split?.name ?? input.name.slice(0, 100),
    prefix: split?.prefix ?? "",
    flag: FLAGS[input.type],
    mode: input.mode ?? (input.type === "dir" ? 0o755 : 0o644),
    uid: uid > 0o7777777 ? 0 : uid,
    gid: gid > 0o7777777 ? 0 : gid,
    size: size > 0o77777777777 ? 0 : size,
    mtime: mtime < 0 || mtime > 0o77777777777 ? 0 : mtime,
    linkname: linkname.slice(0, 100),
    uname: input.uname ?? "",
    gname: input.gname ?? "",
    devmajor: input.devmajor ?? 0,
    devminor: input.devminor ?? 0,
  });
  if (pax.length === 0) return main;
  const body = Buffer.concat(pax.map(([k, v]) => paxRecord(k, v)));
  const paxName = `PaxHeaders/${(split?.name ?? input.name).slice(0, 80)}`;
  const header = ustarBlock({
    name: paxName,
    prefix: "",
    flag: "x",
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: body.length,
    mtime: 0,
    linkname: "",
    uname: "",
    gname: "",
    devmajor: 0,
    devminor: 0,
  });
  return Buffer.concat([header, body, Buffer.alloc(padding(body.length)), main]);
}

/** Two zero blocks end an archive. */
export const END_OF_ARCHIVE = Buffer.alloc(BLOCK * 2);

/** A GNU long-name header and body (for crafting archives in tests). */
export function encodeGnuLongName(name: string, kind: "L" | "K" = "L"): Buffer {
  const body = Buffer.concat([Buffer.from(name), Buffer.from([0])]);
  const header = ustarBlock({
    name: "././@LongLink",
    prefix: "",
    flag: kind,
    mode: 0o644,
    uid: 0,
    gid: 0,
    size: body.length,
    mtime: 0,
    linkname: "",
    uname: "",
    gname: "",
    devmajor: 0,
    devminor: 0,
  });
  return Buffer.concat([header, body, Buffer.alloc(padding(body.length))]);
}
