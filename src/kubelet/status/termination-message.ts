/**
 * A terminated container's message (upstream: terminationMessagePath, at
 * most 4096 bytes; with FallbackToLogsOnError, the last 80 lines / 2048
 * bytes of its log when it failed and wrote no message).
 */
import { open, readFile } from "node:fs/promises";
import type { RuntimeContainer } from "../cri/runtime-pod.js";
import { parseLogLine } from "../logs/cri-format.js";

const MAX_MESSAGE = 4096;
const MAX_LOG_BYTES = 2048;
const MAX_LOG_LINES = 80;

async function tail(path: string, bytes: number): Promise<string> {
  const f = await open(path, "r");
  try {
    const { size } = await f.stat();
    const start = Math.max(0, size - bytes * 4);
    const buf = Buffer.alloc(size - start);
    await f.read(buf, 0, buf.length, start);
    return buf.toString("utf8");
  } finally {
    await f.close();
  }
}

/** The content of CRI log lines, partial entries joined into their lines. */
export function logContent(text: string): string[] {
  const out: string[] = [];
  let partial = false;
  for (const line of text.split("\n")) {
    const e = parseLogLine(line);
    if (!e) continue;
    const last = out.length - 1;
    if (partial && last >= 0) out[last] = `${out[last]}${e.content}`;
    else out.push(e.content);
    partial = e.partial;
  }
  return out;
}

export async function terminationMessage(
  c: RuntimeContainer,
  policy: string | undefined,
): Promise<string | undefined> {
  let message = "";
  if (c.terminationMessageFile) {
    try {
      message = (await readFile(c.terminationMessageFile))
        .subarray(0, MAX_MESSAGE)
        .toString("utf8");
    } catch {
      message = "";
    }
  }
  if (!message && policy === "FallbackToLogsOnError" && c.exitCode !== 0 && c.logPath) {
    try {
      const lines = logContent(await tail(c.logPath, MAX_LOG_BYTES)).slice(-MAX_LOG_LINES);
      let text = lines.join("\n");
      if (text.length > MAX_LOG_BYTES) text = text.slice(text.length - MAX_LOG_BYTES);
      message = text;
    } catch {
      message = "";
    }
  }
  return message || undefined;
}
