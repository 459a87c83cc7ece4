/**
 * SPDY/3 header compression: each direction is one zlib stream primed with
 * the SPDY dictionary, flushed (Z_SYNC_FLUSH) after every header block.
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from "node:zlib";
import { SPDY3_DICTIONARY } from "./dictionary.js";

function flushThrough(stream: Deflate | Inflate, input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (d: Buffer) => chunks.push(d);
    const onError = (err: Error) => {
      stream.off("data", onData);
      reject(err);
    };
    stream.on("data", onData);
    stream.once("error", onError);
    stream.write(input);
    stream.flush(constants.Z_SYNC_FLUSH, () => {
      stream.off("data", onData);
      stream.off("error", onError);
      resolve(Buffer.concat(chunks));
    });
  });
}

export class HeaderCodec {
  private readonly inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
  private readonly deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  private chain: Promise<unknown> = Promise.resolve();

  /** Calls run one at a time: each direction's zlib stream is shared by all frames. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }

  decompress(block: Buffer): Promise<Buffer> {
    return this.serial(() =>
      block.length ? flushThrough(this.inflate, block) : Promise.resolve(Buffer.alloc(0)),
    );
  }

  compress(block: Buffer): Promise<Buffer> {
    return this.serial(() => flushThrough(this.deflate, block));
  }

  close(): void {
    this.inflate.close();
    this.deflate.close();
  }
}
