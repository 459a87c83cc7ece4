/**
 * The CRI container log format the kubelet reads (`kubectl logs`):
 *
 *     2016-10-06T00:17:09.669794202Z stdout F log content
 *     2016-10-06T00:17:09.669794203Z stderr P first part of a long line
 *
 * One record per line: an RFC3339Nano timestamp, the stream, a tag (`F` for
 * a full line, `P` for a partial one, further `:`-separated tags allowed),
 * then the content. k8ts writes timestamps with all nine fraction digits in
 * UTC (as conmon does; containerd trims trailing zeros); the parser accepts
 * 0-9 fraction digits and any UTC offset, like the kubelet.
 * Times are nanoseconds since the Unix epoch as bigint.
 */

export type LogStream = "stdout" | "stderr";
export type LogTag = "F" | "P";

/** A log line that is not in CRI format. */
export class LogFormatError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

const NS_PER_MS = 1_000_000n;
const NS_PER_S = 1_000_000_000n;

/** `2016-10-06T00:17:09.669794202Z` for a time in ns since the epoch. */
export function formatTimestamp(ns: bigint): string {
  let seconds = ns / NS_PER_S;
  let frac = ns % NS_PER_S;
  if (frac < 0n) {
    frac += NS_PER_S;
    seconds -= 1n;
  }
  const iso = new Date(Number(seconds) * 1000).toISOString();
  return `${iso.slice(0, 19)}.${frac.toString().padStart(9, "0")}Z`;
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Nanoseconds since the epoch of an RFC3339 (nano) timestamp. */
export function parseTimestamp(text: string): bigint {
  const m = RFC3339.exec(text);
  if (!m) throw new LogFormatError(`unexpected timestamp format ${JSON.stringify(text)}`);
  const n = (i: number) => Number(m[i]);
  const ms = Date.UTC(n(1), n(2) - 1, n(3), n(4), n(5), n(6));
  if (Number.isNaN(ms)) throw new LogFormatError(`invalid timestamp ${JSON.stringify(text)}`);
  let ns = BigInt(ms) * NS_PER_MS + BigInt((m[7] ?? "").padEnd(9, "0") || "0");
  if (m[9] !== undefined) {
    const offsetMinutes = n(10) * 60 + n(11);
    const offset = BigInt(offsetMinutes) * 60n * NS_PER_S;
    ns += m[9] === "+" ? -offset : offset;
  }
  return ns;
}

/** One record of a CRI log file. */
export interface LogRecord {
  /** ns since the epoch. */
  timestamp: bigint;
  stream: LogStream;
  tag: LogTag;
  /** The content, without the line's terminating newline. */
  content: Uint8Array;
}

/** The bytes of one log line, newline included. */
export function formatLogLine(record: LogRecord): Buffer {
  const head = Buffer.from(`${formatTimestamp(record.timestamp)} ${record.stream} ${record.tag} `);
  return Buffer.concat([head, record.content, Buffer.from("\n")]);
}

/** A parsed log line, as the kubelet's parseCRILog yields it. */
export interface LogMessage {
  timestamp: bigint;
  stream: LogStream;
  partial: boolean;
  /**
   * What `kubectl logs` prints for the line: the content with its newline
   * for full lines, without one for partial lines (so the parts join up).
   */
  log: Buffer;
}

const SPACE = 0x20;
const NEWLINE = 0x0a;

/** Parse one line (with or without its newline) of a CRI log file. */
export function parseLogLine(line: Uint8Array): LogMessage {
  const buf = Buffer.from(line.buffer, line.byteOffset, line.byteLength);
  const t = buf.indexOf(SPACE);
  if (t < 0) throw new LogFormatError("timestamp is not found");
  const timestamp = parseTimestamp(buf.subarray(0, t).toString("latin1"));
  const s = buf.indexOf(SPACE, t + 1);
  if (s < 0) throw new LogFormatError("stream type is not found");
  const stream = buf.subarray(t + 1, s).toString("latin1");
  if (stream !== "stdout" && stream !== "stderr") {
    throw new LogFormatError(`unexpected stream type ${JSON.stringify(stream)}`);
  }
  const g = buf.indexOf(SPACE, s + 1);
  if (g < 0) throw new LogFormatError("log tag is not found");
  const tags = buf
    .subarray(s + 1, g)
    .toString("latin1")
    .split(":");
  const partial = tags[0] === "P";
  let end = buf.length;
  if (partial && end > 0 && buf[end - 1] === NEWLINE) end--;
  return { timestamp, stream, partial, log: buf.subarray(g + 1, Math.max(g + 1, end)) };
}
