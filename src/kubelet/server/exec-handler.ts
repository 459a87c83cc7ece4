/**
 * Serves one exec or attach over a WebSocket: starts the runtime's
 * streaming Exec (or Attach) and relays stdin, stdout, stderr and resizes
 * in the remote command protocol, then reports the end on the error
 * channel and closes: an exec's exit status, or for an attach plain
 * Success once the container's streams end (upstream's ServeAttach).
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
  opts: {
    /** The exec's command; absent for an attach. */
    command?: string[];
    stdout: boolean;
    stderr: boolean;
  },
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
    const status = opts.command ? exitStatus(exitCode, opts.command) : exitStatus(0, []);
    ws.send(frame(ERROR, JSON.stringify(status)));
    ws.close(1000);
  }
}
