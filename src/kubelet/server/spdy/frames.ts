/**
 * SPDY/3.1 framing (draft-mbelshe-httpbis-spdy-00 with 3.1's flow control),
 * pure: the frame reader splits a byte stream into frames, the encoders
 * build the frames a server sends, and header blocks are (de)serialised
 * here while their zlib compression lives in headers-codec.ts.
 */
export const VERSION = 3;

export const SYN_STREAM = 1;
export const SYN_REPLY = 2;
export const RST_STREAM = 3;
export const SETTINGS = 4;
export const PING = 6;
export const GOAWAY = 7;
export const HEADERS = 8;
export const WINDOW_UPDATE = 9;

export const FLAG_FIN = 0x01;

/** Largest data frame the server sends. */
export const DATA_CHUNK = 16 * 1024;

export type Frame =
  | { control: true; type: number; flags: number; data: Buffer }
  | { control: false; streamId: number; flags: number; data: Buffer };

/** Accumulates bytes and yields every complete frame. */
export class FrameReader {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const out: Frame[] = [];
    while (this.buffer.length >= 8) {
      const length = this.buffer.readUIntBE(5, 3);
      if (this.buffer.length < 8 + length) break;
      const first = this.buffer.readUInt32BE(0);
      const flags = this.buffer[4] as number;
      const data = this.buffer.subarray(8, 8 + length);
      if (first & 0x80000000) {
        const version = (first >>> 16) & 0x7fff;
        if (version !== VERSION) throw new Error(`unsupported SPDY version ${version}`);
        out.push({ control: true, type: first & 0xffff, flags, data });
      } else {
        out.push({ control: false, streamId: first & 0x7fffffff, flags, data });
      }
      this.buffer = this.buffer.subarray(8 + length);
    }
    return out;
  }
}

function header(first: number, flags: number, length: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32BE(first >>> 0, 0);
  b[4] = flags;
  b.writeUIntBE(length, 5, 3);
  return b;
}

export function controlFrame(type: number, flags: number, data: Buffer): Buffer {
  return Buffer.concat([
    header((0x80000000 | (VERSION << 16) | type) >>> 0, flags, data.length),
    data,
  ]);
}

export function dataFrame(streamId: number, flags: number, data: Buffer): Buffer {
  return Buffer.concat([header(streamId & 0x7fffffff, flags, data.length), data]);
}

const u32 = (...values: number[]) => {
  const b = Buffer.alloc(4 * values.length);
  for (const [i, v] of values.entries()) b.writeUInt32BE(v >>> 0, i * 4);
  return b;
};

export const synReply = (streamId: number, flags: number, compressedHeaders: Buffer) =>
  controlFrame(SYN_REPLY, flags, Buffer.concat([u32(streamId & 0x7fffffff), compressedHeaders]));

export const rstStream = (streamId: number, status: number) =>
  controlFrame(RST_STREAM, 0, u32(streamId & 0x7fffffff, status));

export const goAway = (lastStreamId: number, status = 0) =>
  controlFrame(GOAWAY, 0, u32(lastStreamId & 0x7fffffff, status));

export const windowUpdate = (streamId: number, delta: number) =>
  controlFrame(WINDOW_UPDATE, 0, u32(streamId & 0x7fffffff, delta & 0x7fffffff));

export const ping = (data: Buffer) => controlFrame(PING, 0, data);

/** A SYN_STREAM's fixed part; its header block follows at `headerOffset`. */
export function parseSynStream(data: Buffer): { streamId: number; headerBlock: Buffer } {
  if (data.length < 10) throw new Error("short SYN_STREAM");
  return { streamId: data.readUInt32BE(0) & 0x7fffffff, headerBlock: data.subarray(10) };
}

export const frameStreamId = (data: Buffer) =>
  data.length >= 4 ? data.readUInt32BE(0) & 0x7fffffff : 0;

/** A decompressed header block: name → value (names lowercase, as SPDY requires). */
export function decodeHeaderBlock(block: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let at = 0;
  const need = (n: number) => {
    if (at + n > block.length) throw new Error("truncated header block");
  };
  need(4);
  const count = block.readUInt32BE(at);
  at += 4;
  for (let i = 0; i < count; i++) {
    need(4);
    const nl = block.readUInt32BE(at);
    at += 4;
    need(nl);
    const name = block
      .subarray(at, at + nl)
      .toString("utf8")
      .toLowerCase();
    at += nl;
    need(4);
    const vl = block.readUInt32BE(at);
    at += 4;
    need(vl);
    out[name] = block.subarray(at, at + vl).toString("utf8");
    at += vl;
  }
  return out;
}

export function encodeHeaderBlock(headers: Record<string, string>): Buffer {
  const parts: Buffer[] = [u32(Object.keys(headers).length)];
  for (const [k, v] of Object.entries(headers)) {
    const name = Buffer.from(k.toLowerCase());
    const value = Buffer.from(v);
    parts.push(u32(name.length), name, u32(value.length), value);
  }
  return Buffer.concat(parts);
}
