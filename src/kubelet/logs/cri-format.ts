/**
 * The CRI log file format conmon writes and the kubelet reads (upstream
 * pkg/kubelet/kuberuntime/logs): one entry per line,
 * `<RFC3339Nano time> <stdout|stderr> <P|F> <content>`, where P marks a
 * partial line continued by the next entry. Pure.
 */
export interface LogEntry {
  /** The timestamp as written (RFC3339Nano). */
  readonly time: string;
  /** ms since the epoch. */
  readonly ms: number;
  readonly stream: "stdout" | "stderr";
  readonly partial: boolean;
  readonly content: string;
}

const LINE = /^(\S+) (stdout|stderr) ([PF])(?: (.*))?$/;

export function parseLogLine(line: string): LogEntry | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const time = m[1] as string;
  const ms = Date.parse(time);
  if (Number.isNaN(ms)) return undefined;
  return {
    time,
    ms,
    stream: m[2] as "stdout" | "stderr",
    partial: m[3] === "P",
    content: m[4] ?? "",
  };
}

export interface LogOptions {
  /** Only entries at or after this time (ms since the epoch). */
  readonly sinceMs?: number;
  /** Only the last N lines. */
  readonly tailLines?: number;
  /** Prefix each line with its timestamp. */
  readonly timestamps?: boolean;
}

/**
 * A timestamp as Go's RFC3339Nano prints it in UTC (what the kubelet
 * shows): conmon writes `...123456789+00:00`, users see `...123456789Z`,
 * trailing zeros of the fraction dropped.
 */
export function rfc3339Nano(time: string): string {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]00:00)$/.exec(time);
  if (!m) return time;
  const fraction = (m[2] ?? "").replace(/0+$/, "");
  return `${m[1]}${fraction ? `.${fraction}` : ""}Z`;
}

/** How a log entry is shown: its content, with the newline a full line ends with. */
export function renderEntry(e: LogEntry, timestamps: boolean): string {
  const text = e.partial ? e.content : `${e.content}\n`;
  return timestamps ? `${rfc3339Nano(e.time)} ${text}` : text;
}

/** The entries of a whole log text that the options select, in order. */
export function selectEntries(text: string, opts: LogOptions): LogEntry[] {
  let entries: LogEntry[] = [];
  for (const line of text.split("\n")) {
    const e = parseLogLine(line);
    if (e && (opts.sinceMs === undefined || e.ms >= opts.sinceMs)) entries.push(e);
  }
  // As upstream, tail counts the file's lines, one per entry (partial or not).
  if (opts.tailLines !== undefined)
    entries = opts.tailLines === 0 ? [] : entries.slice(-opts.tailLines);
  return entries;
}
