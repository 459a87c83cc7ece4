/**
 * DNS over TCP frames every message with a two-byte big-endian length
 * (RFC 1035 4.2.2). A stream delivers chunks that split or join frames
 * arbitrarily; this collects them back into whole messages.
 */
export class FrameReader {
  private buffered: Buffer = Buffer.alloc(0);

  /** Adds a chunk and returns the messages it completed, in order. */
  push(chunk: Buffer): Buffer[] {
    this.buffered = this.buffered.length ? Buffer.concat([this.buffered, chunk]) : chunk;
    const out: Buffer[] = [];
    while (this.buffered.length >= 2) {
      const len = this.buffered.readUInt16BE(0);
      if (this.buffered.length < 2 + len) break;
      out.push(this.buffered.subarray(2, 2 + len));
      this.buffered = this.buffered.subarray(2 + len);
    }
    return out;
  }

  /** Bytes of an unfinished message still waiting for the rest. */
  get pending(): number {
    return this.buffered.length;
  }
}

/** A message with its TCP length prefix. */
export function frame(message: Buffer): Buffer {
  const head = Buffer.alloc(2);
  head.writeUInt16BE(message.length, 0);
  return Buffer.concat([head, message]);
}
