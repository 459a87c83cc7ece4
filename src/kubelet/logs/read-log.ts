/**
 * Streams a container's CRI log file to a writer, as `kubectl logs` shows
 * it: since / tail / timestamps / limitBytes, and with `follow`, new
 * entries as they are written until the container stops (or the client
 * goes away).
 */
import { open, readFile, stat } from "node:fs/promises";
import { type LogOptions, parseLogLine, renderEntry, selectEntries } from "./cri-format.js";

export interface ReadLogOptions extends LogOptions {
  readonly follow?: boolean;
  readonly limitBytes?: number;
  /** Whether the container still runs (follow stops once it does not and the file is drained). */
  readonly running?: () => Promise<boolean>;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
}

export interface LogSink {
  write(chunk: string): boolean | undefined;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function readLog(path: string, sink: LogSink, opts: ReadLogOptions): Promise<void> {
  let budget = opts.limitBytes ?? Number.POSITIVE_INFINITY;
  const emit = (text: string): boolean => {
    if (budget <= 0) return false;
    const buf = Buffer.from(text);
    if (buf.length > budget) {
      sink.write(buf.subarray(0, budget).toString());
      budget = 0;
      return false;
    }
    budget -= buf.length;
    sink.write(text);
    return true;
  };
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
    text = "";
  }
  // Only complete lines now; a trailing fragment is read again when followed.
  const end = text.lastIndexOf("\n") + 1;
  for (const e of selectEntries(text.slice(0, end), opts)) {
    if (!emit(renderEntry(e, opts.timestamps ?? false))) return;
  }
  if (!opts.follow) return;
  let offset = Buffer.byteLength(text.slice(0, end));
  let pending = "";
  for (;;) {
    if (opts.signal?.aborted) return;
    const grew = await readFrom(path, offset);
    if (grew.length > 0) {
      offset += grew.length;
      pending += grew.toString("utf8");
      const cut = pending.lastIndexOf("\n") + 1;
      for (const line of pending.slice(0, cut).split("\n")) {
        const e = parseLogLine(line);
        if (e && (opts.sinceMs === undefined || e.ms >= opts.sinceMs)) {
          if (!emit(renderEntry(e, opts.timestamps ?? false))) return;
        }
      }
      pending = pending.slice(cut);
      continue;
    }
    if (opts.running && !(await opts.running())) {
      // One last read: the final lines may land just before the exit.
      if ((await readFrom(path, offset)).length === 0) return;
      continue;
    }
    await sleep(opts.pollMs ?? 200);
  }
}

async function readFrom(path: string, offset: number): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return Buffer.alloc(0);
  }
  if (size <= offset) return Buffer.alloc(0);
  const f = await open(path, "r");
  try {
    const buf = Buffer.alloc(size - offset);
    const { bytesRead } = await f.read(buf, 0, buf.length, offset);
    return buf.subarray(0, bytesRead);
  } finally {
    await f.close();
  }
}
