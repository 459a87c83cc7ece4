/**
 * What `kubectl logs` shows from a CRI log file, with the kubelet's
 * ReadLogs semantics:
 *
 * - `tail`: start at the beginning of the last `tail` lines of the file —
 *   file lines, so each `P` part of a long line counts as one; a trailing
 *   line without newline is not counted but is read;
 * - `since`: skip records older than this time (they still count toward tail);
 * - `timestamps`: prefix every record (each partial too) with its time, with
 *   nine fraction digits, and a space;
 * - `limitBytes`: stop after this many bytes of output, cutting the last
 *   record short;
 * - lines that do not parse are skipped.
 *
 * Pure: files.ts feeds it lines read from the file.
 */
import { formatTimestamp, type LogStream, parseLogLine } from "./format.js";

export interface LogOptions {
  /** Only the last N lines; absent or negative = all. */
  tail?: number;
  /** Only records at or after this time (ns since the epoch). */
  since?: bigint;
  /** Prefix records with their timestamp. Default false. */
  timestamps?: boolean;
  /** Stop after this many bytes; absent or negative = unlimited. */
  limitBytes?: number;
  /** Keep reading as the container writes (tail then no longer stops the read). Default false. */
  follow?: boolean;
}

/** A piece of output for one of the two streams. */
export interface LogOutput {
  stream: LogStream;
  data: Buffer;
}

const NEWLINE = 0x0a;

/**
 * Offset in `data` where its last `n` lines start (the kubelet's
 * FindTailLineStartIndex): 0 for negative n or when there are not more
 * than n lines; a last line without newline is not counted.
 */
export function tailStart(data: Uint8Array, n: number): number {
  if (n < 0) return 0;
  let seen = 0;
  for (let i = data.length - 1; i >= 0; i--) {
    if (data[i] !== NEWLINE) continue;
    if (seen === n) return i + 1;
    seen++;
  }
  return 0;
}

/** Decides, line by line, what to print. */
export class LogSelector {
  readonly #options: LogOptions;
  #remain: number;
  #lines: number;
  readonly #limited: boolean;
  #done = false;

  constructor(options: LogOptions = {}) {
    this.#options = options;
    const limit = options.limitBytes ?? -1;
    this.#remain = limit >= 0 ? limit : Number.POSITIVE_INFINITY;
    this.#limited = (options.tail ?? -1) >= 0 && !options.follow;
    this.#lines = options.tail ?? -1;
    if (this.#limited && this.#lines === 0) this.#done = true;
    if (this.#remain === 0) this.#done = true;
  }

  /** No more output will be produced: stop reading. */
  get done(): boolean {
    return this.#done;
  }

  /** The output for one file line, if any. */
  push(line: Uint8Array): LogOutput | undefined {
    if (this.#done) return undefined;
    let msg: ReturnType<typeof parseLogLine>;
    try {
      msg = parseLogLine(line);
    } catch {
      return undefined;
    }
    let out: LogOutput | undefined;
    if (this.#options.since === undefined || msg.timestamp >= this.#options.since) {
      let data = msg.log;
      if (this.#options.timestamps) {
        data = Buffer.concat([Buffer.from(`${formatTimestamp(msg.timestamp)} `), data]);
      }
      if (data.length > this.#remain) data = data.subarray(0, this.#remain);
      this.#remain -= data.length;
      if (this.#remain <= 0) this.#done = true;
      out = { stream: msg.stream, data };
    }
    if (this.#limited && --this.#lines <= 0) this.#done = true;
    return out;
  }
}

/** All output of a whole log file's content at once (no follow). */
export function selectLogs(content: Uint8Array, options: LogOptions = {}): LogOutput[] {
  const buf = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const selector = new LogSelector({ ...options, follow: false });
  const out: LogOutput[] = [];
  let pos = tailStart(buf, options.tail ?? -1);
  while (pos < buf.length && !selector.done) {
    const nl = buf.indexOf(NEWLINE, pos);
    const end = nl < 0 ? buf.length : nl + 1;
    const o = selector.push(buf.subarray(pos, end));
    if (o) out.push(o);
    pos = end;
  }
  return out;
}
