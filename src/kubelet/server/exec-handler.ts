/**
 * Serves one exec over a WebSocket: runs the command through the runtime's
 * streaming Exec and relays stdin, stdout, stderr and resizes in the
 * remote command protocol, then reports the exit status on the error
 * channel and closes.
 */
import type { Readable } from "node:stream";
import type { WebSocket } from "ws";
import type { StreamSession } from "../../runtime/cri.js";
import {
  ERROR,
  errorStatus,
  exitStatus,
  frame,
  type Protocol,
  parseMessage,
  STDERR,
  STDIN,
  STDOUT,
} from "./remotecommand.js";

/** Resolves once the stream has delivered everything (at once if it already has). */
function ended(s: Readable | undefined): Promise<void> {
  if (!s || s.readableEnded || s.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => s.once("end", resolve).once("close", resolve));
}

export async function serveExec(
  ws: WebSocket,
  protocol: Protocol,
  start: () => Promise<StreamSession>,
  opts: { command: string[]; stdout: boolean; stderr: boolean },
): Promise<void> {
  // Input can arrive before the command runs: hold it until then.
  const early: Buffer[] = [];
  let deliver: ((raw: Buffer) => void) | undefined;
  let closed = false;
  ws.on("message", (raw: Buffer) => {
    if (deliver) deliver(raw);
    else early.push(raw);
  });
  ws.on("close", () => {
    closed = true;
  });
  // Upstream tells the client the streams are ready with an empty message on the lowest output channel.
  ws.send(frame(opts.stdout ? STDOUT : opts.stderr ? STDERR : ERROR, ""));
  let session: StreamSession;
  try {
    session = await start();
  } catch (err) {
    ws.send(
      frame(ERROR, JSON.stringify(errorStatus(err instanceof Error ? err.message : String(err)))),
    );
    ws.close(1000);
    return;
  }
  const s = session;
  deliver = (raw: Buffer) => {
    const m = parseMessage(raw);
    if (m.kind === "stdin") s.stdin?.write(m.data);
    else if (m.kind === "resize") s.resize({ width: m.width, height: m.height });
    else if (m.kind === "close" && m.channel === STDIN && protocol === "v5.channel.k8s.io")
      s.stdin?.end();
  };
  for (const raw of early.splice(0)) deliver(raw);
  if (closed) void session.close();
  ws.on("close", () => void session.close());
  session.stdin?.on("error", () => {});
  session.stdout?.on("data", (d: Buffer) => ws.send(frame(STDOUT, d)));
  session.stderr?.on("data", (d: Buffer) => ws.send(frame(STDERR, d)));
  const { exitCode } = await session.exited;
  await Promise.all([ended(session.stdout), ended(session.stderr)]);
  if (ws.readyState === ws.OPEN) {
    ws.send(frame(ERROR, JSON.stringify(exitStatus(exitCode, opts.command))));
    ws.close(1000);
  }
}
