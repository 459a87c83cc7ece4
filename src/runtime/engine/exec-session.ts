/**
 * Streaming exec on runc (CRI Exec): a foreground `runc exec` whose stdio
 * are the session's streams. With a TTY, runc runs on a pseudo-terminal
 * (node-pty) so the container's terminal follows resizes; without one,
 * stdin/stdout/stderr are plain pipes. The session ends with the exit code
 * of the command; close() kills it.
 */
import { spawn } from "node:child_process";
import { Duplex, PassThrough, Writable } from "node:stream";
import pty from "node-pty";
import type { ExecRequest, StreamSession, TerminalSize } from "../cri.js";

const DEFAULT_SIZE: TerminalSize = { width: 80, height: 24 };

export function pipeSession(file: string, args: string[], request: ExecRequest): StreamSession {
  const child = spawn(file, args, {
    stdio: [request.stdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  const exited = new Promise<{ exitCode: number }>((resolve) => {
    child.once("error", () => resolve({ exitCode: 126 }));
    child.once("close", (code, signal) => resolve({ exitCode: code ?? (signal ? 128 + 9 : 1) }));
  });
  return {
    ...(request.stdin && child.stdin ? { stdin: child.stdin } : {}),
    ...(request.stdout !== false && child.stdout ? { stdout: child.stdout } : {}),
    ...(request.stderr !== false && child.stderr ? { stderr: child.stderr } : {}),
    resize: () => {},
    exited,
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

export function ttySession(
  file: string,
  args: string[],
  size: TerminalSize = DEFAULT_SIZE,
): StreamSession {
  const term = pty.spawn(file, args, { cols: size.width, rows: size.height, name: "xterm" });
  const stdout = new PassThrough();
  term.onData((d) => stdout.write(d));
  const exited = new Promise<{ exitCode: number }>((resolve) => {
    term.onExit(({ exitCode, signal }) => {
      stdout.end();
      resolve({ exitCode: signal ? 128 + signal : exitCode });
    });
  });
  const stdin = new Writable({
    write(chunk: Buffer, _enc, done) {
      term.write(chunk.toString("utf8"));
      done();
    },
    final(done) {
      // End of input on a terminal is ^D.
      term.write("\x04");
      done();
    },
  });
  let done = false;
  void exited.then(() => {
    done = true;
  });
  return {
    stdin,
    stdout,
    resize: (s) => {
      if (!done && s.width > 0 && s.height > 0) term.resize(s.width, s.height);
    },
    exited,
    async close() {
      if (!done) term.kill("SIGKILL");
      await exited;
    },
  };
}

/**
 * A process's stdin and stdout as one Duplex (a port-forward relay):
 * writes go to its stdin, its stdout is read; destroying the Duplex kills it.
 */
export function relayProcess(file: string, args: string[]): Duplex {
  const child = spawn(file, args, { stdio: ["pipe", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  const duplex = new Duplex({
    write(chunk: Buffer, _enc, done) {
      child.stdin.write(chunk, done);
    },
    final(done) {
      child.stdin.end();
      done();
    },
    read() {
      child.stdout.resume();
    },
    destroy(err, done) {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      done(err);
    },
  });
  child.stdout.on("data", (d: Buffer) => {
    if (!duplex.push(d)) child.stdout.pause();
  });
  child.stdout.on("end", () => duplex.push(null));
  child.stdin.on("error", () => {});
  child.once("error", (err) => duplex.destroy(err));
  child.once("close", (code) => {
    if (code !== 0 && code !== null && !duplex.destroyed)
      duplex.destroy(new Error(`port forward relay exited ${code}: ${stderr.trim()}`));
  });
  return duplex;
}
