/**
 * The I/O edge of container logs: writing CRI log files, reading them the
 * way `kubectl logs` does (including follow), and carrying out rotations.
 * The decisions are in encoder.ts, reader.ts and rotation.ts.
 */
import { createReadStream, createWriteStream } from "node:fs";
import {
  type FileHandle,
  mkdir,
  open,
  readdir,
  realpath,
  rename,
  rm,
  stat,
} from "node:fs/promises";
import { dirname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import { CriLogEncoder } from "./encoder.js";
import type { LogStream } from "./format.js";
import { type LogOptions, type LogOutput, LogSelector, tailStart } from "./reader.js";
import { COMPRESS_SUFFIX, planRotation, type RotationPolicy, TMP_SUFFIX } from "./rotation.js";

const wallAnchor = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

/** Wall-clock time in ns since the epoch, with nanosecond steps (monotonic within the process). */
export function systemClock(): bigint {
  return wallAnchor + process.hrtime.bigint();
}

/** A container's CRI log file, written from its stdout and stderr. */
export class CriLogFile {
  readonly path: string;
  #file: FileHandle;
  readonly #encoders: Record<LogStream, CriLogEncoder>;
  #queue: Promise<void> = Promise.resolve();

  private constructor(path: string, file: FileHandle, options: CriLogFileOptions) {
    this.path = path;
    this.#file = file;
    const common = { now: options.now ?? systemClock, maxLineBytes: options.maxLineBytes ?? 16384 };
    this.#encoders = {
      stdout: new CriLogEncoder({ ...common, stream: "stdout" }),
      stderr: new CriLogEncoder({ ...common, stream: "stderr" }),
    };
  }

  /** Open (creating it and its directory) for appending. */
  static async open(path: string, options: CriLogFileOptions = {}): Promise<CriLogFile> {
    await mkdir(dirname(path), { recursive: true });
    return new CriLogFile(path, await open(path, "a", 0o640), options);
  }

  /** Append the records completed by a chunk of the stream's output. */
  write(stream: LogStream, chunk: Uint8Array): Promise<void> {
    return this.#append(() => this.#encoders[stream].encode(chunk));
  }

  /** The stream closed: flush what it left without a newline as a partial line. */
  endStream(stream: LogStream): Promise<void> {
    return this.#append(() => this.#encoders[stream].encodeEnd());
  }

  /** Start a fresh file at the same path (after the kubelet renamed the old one). */
  reopen(): Promise<void> {
    const next = this.#queue.then(async () => {
      const fresh = await open(this.path, "a", 0o640);
      const old = this.#file;
      this.#file = fresh;
      await old.close();
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  async close(): Promise<void> {
    await this.#queue;
    await this.#file.close();
  }

  #append(bytes: () => Buffer): Promise<void> {
    const next = this.#queue.then(async () => {
      const data = bytes();
      if (data.length > 0) await this.#file.write(data);
    });
    this.#queue = next.catch(() => {});
    return next;
  }
}

export interface CriLogFileOptions {
  /** Clock for record timestamps. Default systemClock. */
  now?: () => bigint;
  /** Longest content of one record. Default 16384. */
  maxLineBytes?: number;
}

const BLOCK = 64 * 1024;

/** Offset where the last `n` lines of the open file start, reading backwards block by block. */
async function tailOffset(file: FileHandle, n: number): Promise<number> {
  if (n < 0) return 0;
  const size = (await file.stat()).size;
  let left = size;
  let data = Buffer.alloc(0);
  let newlines = 0;
  while (left > 0 && newlines <= n) {
    const len = Math.min(BLOCK, left);
    left -= len;
    const block = Buffer.alloc(len);
    await file.read(block, 0, len, left);
    for (const b of block) if (b === 0x0a) newlines++;
    data = Buffer.concat([block, data]);
  }
  return left + tailStart(data, n);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface ReadLogsOptions extends LogOptions {
  /**
   * While following: whether the container still runs. Once it does not,
   * the rest of the file is read and the read ends. Default: always running.
   */
  isRunning?: () => Promise<boolean>;
  /** Ends a follow. */
  signal?: AbortSignal;
  /** How often to look for new data while following, in ms. Default 250. */
  pollIntervalMs?: number;
}

/**
 * The output `kubectl logs` shows for a container log file. Following
 * survives rotation: when a new file appears at `path`, reading continues
 * from its start. Breaking out of the loop closes the file.
 */
export async function* readLogs(
  path: string,
  options: ReadLogsOptions = {},
): AsyncGenerator<LogOutput> {
  const real = await realpath(path);
  let file = await open(real, "r");
  try {
    const selector = new LogSelector(options);
    let pos = await tailOffset(file, options.tail ?? -1);
    let pending = Buffer.alloc(0);
    const buf = Buffer.alloc(BLOCK);
    let running = true;
    while (!selector.done) {
      const { bytesRead } = await file.read(buf, 0, buf.length, pos);
      if (bytesRead > 0) {
        pos += bytesRead;
        const data = Buffer.concat([pending, buf.subarray(0, bytesRead)]);
        let start = 0;
        for (let nl = data.indexOf(0x0a); nl >= 0; nl = data.indexOf(0x0a, start)) {
          const out = selector.push(data.subarray(start, nl + 1));
          start = nl + 1;
          if (out) yield out;
          if (selector.done) return;
        }
        pending = Buffer.from(data.subarray(start));
        continue;
      }
      if (!options.follow) {
        // The last line lacks its newline: print it anyway, as the kubelet does.
        const out = pending.length > 0 ? selector.push(pending) : undefined;
        if (out) yield out;
        return;
      }
      if (!running || options.signal?.aborted) return;
      running = options.isRunning ? await options.isRunning() : true;
      if (!running) continue; // read what was written before the container stopped
      await sleep(options.pollIntervalMs ?? 250, options.signal);
      const current = await stat(real).catch(() => undefined);
      if (current && current.ino !== (await file.stat()).ino) {
        await file.close();
        file = await open(real, "r");
        pos = 0;
        pending = Buffer.alloc(0);
      }
    }
  } finally {
    await file.close();
  }
}

async function gzipFile(path: string): Promise<void> {
  const tmp = path + TMP_SUFFIX;
  try {
    await pipeline(createReadStream(path), createGzip(), createWriteStream(tmp, { mode: 0o644 }));
    await rename(tmp, path + COMPRESS_SUFFIX);
  } finally {
    await rm(tmp, { force: true });
  }
  await rm(path, { force: true });
}

/**
 * Rotate a container's log if it reached the policy's size: delete
 * leftovers and excess files, compress older rotated files, rename the
 * current log and have the runtime reopen it (renaming back if that fails).
 * Resolves to whether a rotation happened.
 */
export async function rotateLogFile(
  logPath: string,
  options: {
    policy?: RotationPolicy;
    /** Ask the runtime to reopen the log (CRI ReopenContainerLog). */
    reopen: () => Promise<void>;
    /** Default new Date(). */
    now?: Date;
  },
): Promise<boolean> {
  const info = await stat(logPath).catch(() => undefined);
  if (!info) return false;
  const dir = dirname(logPath);
  const prefix = `${logPath.slice(dir.length + 1)}.`;
  const rotated = (await readdir(dir)).filter((f) => f.startsWith(prefix)).map((f) => join(dir, f));
  const plan = planRotation({
    logPath,
    size: info.size,
    rotated,
    now: options.now ?? new Date(),
    ...(options.policy ? { policy: options.policy } : {}),
  });
  if (!plan) return false;
  for (const f of plan.remove) await rm(f, { force: true });
  for (const f of plan.compress) await gzipFile(f);
  await rename(plan.rename.from, plan.rename.to);
  try {
    await options.reopen();
  } catch (err) {
    await rename(plan.rename.to, plan.rename.from).catch(() => {});
    throw err;
  }
  return true;
}
