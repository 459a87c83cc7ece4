/**
 * Turning a container's raw stdout or stderr into CRI log lines, as
 * containerd's CRI logger does: each line ending in `\n` (a `\r\n` ending
 * dropped too) becomes one `F` record; a line longer than `maxLineBytes`
 * (16 KiB by default, containerd's max_container_log_line_size) is cut into
 * `P` records of exactly that size followed by an `F` record with the rest;
 * output left without a newline when the stream ends becomes a `P` record.
 */
import { formatLogLine, type LogRecord, type LogStream } from "./format.js";

/** containerd's and CRI-O's default maximum log line size. */
export const MAX_LINE_BYTES = 16 * 1024;

export class CriLogEncoder {
  readonly #stream: LogStream;
  readonly #max: number;
  readonly #now: () => bigint;
  #pending: Buffer = Buffer.alloc(0);

  constructor(options: {
    stream: LogStream;
    /** Longest content of one record; 0 = unlimited. Default 16384. */
    maxLineBytes?: number;
    /** Wall clock in ns since the epoch (see systemClock in files.ts). */
    now: () => bigint;
  }) {
    this.#stream = options.stream;
    this.#max = options.maxLineBytes ?? MAX_LINE_BYTES;
    this.#now = options.now;
  }

  /** The records completed by this chunk of output. */
  records(chunk: Uint8Array): LogRecord[] {
    const out: LogRecord[] = [];
    let data =
      this.#pending.length > 0 ? Buffer.concat([this.#pending, chunk]) : Buffer.from(chunk);
    for (;;) {
      const nl = data.indexOf(0x0a);
      if (nl < 0) break;
      let line = data.subarray(0, nl);
      if (line.length > 0 && line[line.length - 1] === 0x0d) line = line.subarray(0, -1);
      out.push(this.#record("F", this.#cut(line, out)));
      data = data.subarray(nl + 1);
    }
    this.#pending = Buffer.from(this.#cut(data, out));
    return out;
  }

  /** The record for output left over when the stream closes (a `P` record), if any. */
  end(): LogRecord[] {
    const rest = this.#pending;
    this.#pending = Buffer.alloc(0);
    return rest.length > 0 ? [this.#record("P", rest)] : [];
  }

  /** Encoded bytes of `records(chunk)`. */
  encode(chunk: Uint8Array): Buffer {
    return Buffer.concat(this.records(chunk).map(formatLogLine));
  }

  /** Encoded bytes of `end()`. */
  encodeEnd(): Buffer {
    return Buffer.concat(this.end().map(formatLogLine));
  }

  /** Emit P records while more than max bytes are buffered; return the remainder (≤ max). */
  #cut(data: Buffer, out: LogRecord[]): Buffer {
    let rest = data;
    if (this.#max <= 0) return rest;
    while (rest.length > this.#max) {
      out.push(this.#record("P", rest.subarray(0, this.#max)));
      rest = rest.subarray(this.#max);
    }
    return rest;
  }

  #record(tag: "F" | "P", content: Buffer): LogRecord {
    return { timestamp: this.#now(), stream: this.#stream, tag, content: Buffer.from(content) };
  }
}
