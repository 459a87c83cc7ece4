import { createHash, type Hash } from "node:crypto";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import type { Digest } from "./digest.js";
import { UnsupportedCompressionError } from "./errors.js";

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];

/** The stream decompressed when it starts with the gzip magic, else as is. */
export async function* maybeGunzip(
  input: AsyncIterable<Buffer | Uint8Array>,
): AsyncGenerator<Buffer> {
  const it = input[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  while (head.length < 4) {
    const n = await it.next();
    if (n.done) break;
    head = Buffer.concat([head, Buffer.from(n.value)]);
  }
  const rest: AsyncIterable<Buffer> = {
    async *[Symbol.asyncIterator]() {
      if (head.length > 0) yield head;
      for (;;) {
        const n = await it.next();
        if (n.done) return;
        yield Buffer.from(n.value);
      }
    },
  };
  if (ZSTD_MAGIC.every((b, i) => head[i] === b))
    throw new UnsupportedCompressionError("zstd-compressed layers are not supported");
  if (!GZIP_MAGIC.every((b, i) => head[i] === b)) {
    yield* rest;
    return;
  }
  const source = Readable.from(rest);
  const gunzip = createGunzip();
  source.on("error", (err) => gunzip.destroy(err));
  source.pipe(gunzip);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/** Passes chunks through while hashing them; `digest()` after the end. */
export class HashingTap {
  private readonly hash: Hash = createHash("sha256");
  size = 0;
  async *tap(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    for await (const c of input) {
      this.hash.update(c);
      this.size += c.length;
      yield c;
    }
  }
  digest(): Digest {
    return `sha256:${this.hash.digest("hex")}`;
  }
}
