/**
 * A small structured logger in klog's line format
 * (`I1122 04:30:00.123456 component] "message" key="value"`), to stderr.
 */
export type Level = "info" | "warn" | "error";

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const LETTER: Record<Level, string> = { info: "I", warn: "W", error: "E" };

function header(level: Level, component: string, now: Date): string {
  const pad = (n: number, w = 2) => String(n).padStart(w, "0");
  const date = `${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}:${pad(now.getUTCMinutes())}:${pad(now.getUTCSeconds())}.${pad(now.getUTCMilliseconds(), 3)}000`;
  return `${LETTER[level]}${date} ${time} ${component}]`;
}

function render(fields: Record<string, unknown> | undefined): string {
  if (!fields) return "";
  let out = "";
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out += ` ${k}=${typeof v === "string" ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v))}`;
  }
  return out;
}

export function createLogger(
  component: string,
  opts: { minLevel?: Level; write?: (line: string) => void } = {},
): Logger {
  const order: Level[] = ["info", "warn", "error"];
  const min = order.indexOf(opts.minLevel ?? "info");
  const write = opts.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (order.indexOf(level) < min) return;
    write(`${header(level, component, new Date())} ${JSON.stringify(message)}${render(fields)}`);
  };
  return { info: log("info"), warn: log("warn"), error: log("error") };
}

/** Discards everything (tests). */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
