/**
 * A CPU profile of another Node process over its inspector (started with
 * `--inspect=127.0.0.1:0`): the Chrome DevTools Protocol's Profiler domain
 * for a window of time, and a summary of where the samples fell — so a
 * benchmark can say what a component spends its CPU on in steady state
 * without profiling its start-up.
 */
import { WebSocket } from "ws";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** The inspector's WebSocket address from what the process printed on stderr. */
export function inspectorUrl(stderr: string): string | undefined {
  return /Debugger listening on (ws:\/\/\S+)/.exec(stderr)?.[1];
}

/** Profiles the process behind `url` for `ms` milliseconds. */
export async function captureProfile(url: string, ms: number): Promise<CpuProfile> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  let next = 1;
  const pending = new Map<number, (result: unknown) => void>();
  ws.on("message", (data: Buffer) => {
    const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
    if (msg.id !== undefined) pending.get(msg.id)?.(msg.result);
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = next++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    await call("Profiler.enable");
    await call("Profiler.setSamplingInterval", { interval: 1000 });
    await call("Profiler.start");
    await new Promise((r) => setTimeout(r, ms));
    const result = (await call("Profiler.stop")) as { profile: CpuProfile };
    return result.profile;
  } finally {
    ws.close();
  }
}

export interface ProfileLine {
  readonly name: string;
  /** Share of all samples (0..1). */
  readonly share: number;
}

/** Where a frame lives, short: `src/kubelet/x.ts:12` or `node:internal/...`. */
function where(frame: ProfileNode["callFrame"]): string {
  const url = frame.url.replace(/^file:\/\/.*?\/(src|node_modules)\//, "$1/");
  return url === "" ? "" : `${url}:${frame.lineNumber + 1}`;
}

/**
 * Self time per function, and total time (self plus callees) per source
 * file under src/, as shares of all samples, largest first.
 */
export function summarize(
  profile: CpuProfile,
  top = 25,
): { self: ProfileLine[]; files: ProfileLine[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const counts = new Map<number, number>();
  for (const s of profile.samples) counts.set(s, (counts.get(s) ?? 0) + 1);
  const total = profile.samples.length || 1;

  const self = new Map<string, number>();
  const files = new Map<string, number>();
  for (const [id, count] of counts) {
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    const key = `${f.functionName || "(anonymous)"} ${where(f)}`.trim();
    self.set(key, (self.get(key) ?? 0) + count);
    // Count each src/ file once per sample, however deep it recurs.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const url = byId.get(cur)?.callFrame.url ?? "";
      const m = /\/(src\/.*)$/.exec(url);
      if (m?.[1] && !seen.has(m[1])) {
        seen.add(m[1]);
        files.set(m[1], (files.get(m[1]) ?? 0) + count);
      }
    }
  }
  const lines = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, n]) => ({ name, share: n / total }));
  return { self: lines(self), files: lines(files) };
}
