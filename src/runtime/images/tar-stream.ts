import type { Readable, Writable } from "node:stream";
import { TarFormatError } from "./errors.js";
import {
  BLOCK,
  decodeHeader,
  END_OF_ARCHIVE,
  type EntryInput,
  encodeHeader,
  type PaxRecords,
  padding,
  parseGnuLongName,
  parsePax,
  type TarEntry,
} from "./tar-format.js";

/** Reads exact byte counts from an async iterable of chunks. */
class ByteReader {
  private buffered: Buffer[] = [];
  private length = 0;
  private done = false;
  constructor(private readonly source: AsyncIterator<Buffer | Uint8Array | string>) {}

  private async fill(n: number): Promise<void> {
    while (this.length < n && !this.done) {
      const next = await this.source.next();
      if (next.done) {
        this.done = true;
        break;
      }
      const chunk =
        typeof next.value === "string" ? Buffer.from(next.value) : Buffer.from(next.value);
      this.buffered.push(chunk);
      this.length += chunk.length;
    }
  }

  /** Exactly n bytes, or fewer only at end of input. */
  async read(n: number): Promise<Buffer> {
    await this.fill(n);
    const all =
      this.buffered.length === 1 ? (this.buffered[0] as Buffer) : Buffer.concat(this.buffered);
    const out = all.subarray(0, Math.min(n, all.length));
    const rest = all.subarray(out.length);
    this.buffered = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    return out;
  }

  /** Up to n bytes as they arrive (at least one chunk unless at end). */
  async readSome(n: number): Promise<Buffer> {
    if (this.length === 0) await this.fill(1);
    const first = this.buffered[0];
    if (!first) return Buffer.alloc(0);
    if (first.length <= n) {
      this.buffered.shift();
      this.length -= first.length;
      return first;
    }
    this.buffered[0] = first.subarray(n);
    this.length -= n;
    return first.subarray(0, n);
  }
}

export interface TarReadEntry {
  readonly header: TarEntry;
  /** The body, streamed; must be consumed (or is skipped) before the next entry. */
  readonly body: AsyncIterable<Buffer>;
}

/**
 * Iterates the entries of a tar stream. Each entry's body must be read
 * before asking for the next; unread bodies are skipped.
 */
export async function* readTar(
  input: AsyncIterable<Buffer | Uint8Array | string>,
): AsyncGenerator<TarReadEntry> {
  const reader = new ByteReader(input[Symbol.asyncIterator]());
  let pax: PaxRecords = {};
  let global: PaxRecords = {};
  const readBody = async (size: number): Promise<Buffer> => {
    if (size > 16 * 1024 * 1024) throw new TarFormatError("tar metadata record too large");
    const body = await reader.read(size + padding(size));
    if (body.length < size + padding(size))
      throw new TarFormatError("unexpected end of tar stream");
    return body.subarray(0, size);
  };
  for (;;) {
    const block = await reader.read(BLOCK);
    if (block.length === 0) return; // tolerate a missing end-of-archive marker
    if (block.length < BLOCK) throw new TarFormatError("unexpected end of tar stream");
    const raw = decodeHeader(block, { ...global, ...pax });
    if (raw.kind === "end") return;
    if (raw.kind === "pax") {
      const records = parsePax(await readBody(raw.size));
      if (raw.global) global = { ...global, ...records };
      else pax = { ...pax, ...records };
      continue;
    }
    if (raw.kind === "gnu-longname" || raw.kind === "gnu-longlink") {
      const name = parseGnuLongName(await readBody(raw.size));
      pax = { ...pax, [raw.kind === "gnu-longname" ? "path" : "linkpath"]: Buffer.from(name) };
      continue;
    }
    pax = {};
    const header = raw.entry;
    let remaining = header.size;
    let consumed = false;
    const body = {
      async *[Symbol.asyncIterator]() {
        if (consumed) throw new TarFormatError(`body of ${header.name} was already read`);
        consumed = true;
        while (remaining > 0) {
          const chunk = await reader.readSome(Math.min(remaining, 1024 * 1024));
          if (chunk.length === 0)
            throw new TarFormatError(`unexpected end of tar stream in ${header.name}`);
          remaining -= chunk.length;
          yield chunk;
        }
      },
    };
    yield { header, body };
    while (remaining > 0) {
      const chunk = await reader.readSome(Math.min(remaining, 1024 * 1024));
      if (chunk.length === 0)
        throw new TarFormatError(`unexpected end of tar stream in ${header.name}`);
      remaining -= chunk.length;
    }
    const pad = padding(header.size);
    if (pad > 0 && (await reader.read(pad)).length < pad)
      throw new TarFormatError("unexpected end of tar stream");
  }
}

/** Collects a body into one buffer (for small members such as JSON files). */
export async function readAll(
  body: AsyncIterable<Buffer>,
  limit = 64 * 1024 * 1024,
): Promise<Buffer> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const c of body) {
    n += c.length;
    if (n > limit) throw new TarFormatError("tar member too large to read into memory");
    parts.push(c);
  }
  return Buffer.concat(parts);
}

/** Writes a tar stream into a Writable, honouring backpressure. */
export class TarWriter {
  constructor(private readonly out: Writable) {}

  private write(chunk: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const ok = this.out.write(chunk, (err) => {
        if (err) reject(err);
      });
      if (ok) resolve();
      else this.out.once("drain", resolve);
    });
  }

  /** Adds an entry; a file's body comes from `data` (Buffer or stream of exactly `size` bytes). */
  async add(entry: EntryInput, data?: Buffer | Readable | AsyncIterable<Buffer>): Promise<void> {
    const size =
      entry.type === "file" ? (Buffer.isBuffer(data) ? data.length : (entry.size ?? 0)) : 0;
    await this.write(encodeHeader({ ...entry, size }));
    if (entry.type !== "file") return;
    let written = 0;
    if (Buffer.isBuffer(data)) {
      if (data.length > 0) await this.write(data);
      written = data.length;
    } else if (data) {
      for await (const chunk of data as AsyncIterable<Buffer>) {
        written += chunk.length;
        if (written > size) throw new TarFormatError(`${entry.name} grew while being archived`);
        await this.write(Buffer.from(chunk));
      }
    }
    if (written !== size)
      throw new TarFormatError(`${entry.name}: wrote ${written} of ${size} bytes`);
    const pad = padding(size);
    if (pad > 0) await this.write(Buffer.alloc(pad));
  }

  /** Writes the end-of-archive marker and ends the stream. */
  async finish(): Promise<void> {
    await this.write(END_OF_ARCHIVE);
    await new Promise<void>((resolve, reject) => {
      this.out.once("error", reject);
      this.out.end(() => resolve());
    });
  }
}
