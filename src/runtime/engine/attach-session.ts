/**
 * CRI Attach on conmon, as CRI-O does it: conmon holds the container's
 * stdio and serves `<bundle>/attach`, a SOCK_SEQPACKET unix socket (Node's
 * net module has only stream sockets, hence node-unix-socket). Each packet
 * conmon sends is one read of the container's output prefixed by the pipe
 * it came from (2 stdout, 3 stderr; a terminal is all stdout); what the
 * client writes goes to the container's stdin. Closing our write side
 * tells conmon stdin ended: with stdinOnce (no --leave-stdin-open) conmon
 * then closes the container's stdin. Terminal resizes go to conmon's
 * `ctl` fifo as `1 <height> <width>` (resize-queue.ts). The socket closes
 * when the container ends.
 */
import { closeSync, constants, openSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { SeqpacketSocket } from "node-unix-socket";
import type { StreamOptions, StreamSession, TerminalSize } from "../cri.js";
import { readExitCode } from "../oci/index.js";
import { ResizeQueue } from "./resize-queue.js";

/** conmon's stdpipe_t values that prefix each packet. */
const STDOUT_PIPE = 2;
const STDERR_PIPE = 3;
/** conmon reads client packets into a buffer of this size (CONN_SOCK_BUF_SIZE). */
const MAX_PACKET = 32 * 1024;
/** The ctl fifo's message type for a terminal resize (WIN_RESIZE_EVENT). */
const RESIZE_EVENT = 1;

export interface AttachTarget {
  id: string;
  /** The container's bundle, where conmon put `attach` and `ctl`. */
  bundle: string;
  /** Where conmon writes `<id>` with the exit code. */
  exitDir: string;
}

/**
 * Connects to the container's attach socket. The bundle path may be longer
 * than a socket address can hold (108 bytes): the socket is reached through
 * /proc/self/fd/<dir fd>/attach, the same trick conmon uses to bind it.
 */
function connect(bundle: string): Promise<SeqpacketSocket> {
  const dir = openSync(bundle, "r");
  return new Promise<SeqpacketSocket>((resolve, reject) => {
    const socket = new SeqpacketSocket();
    const fail = (error: Error) => {
      socket.destroy();
      reject(new Error(`attaching to ${bundle}: ${error.message}`, { cause: error }));
    };
    socket.once("error", fail);
    try {
      socket.connect(`/proc/self/fd/${dir}/attach`, () => {
        socket.off("error", fail);
        resolve(socket);
      });
    } catch (error) {
      fail(error as Error);
    }
  }).finally(() => closeSync(dir));
}

/**
 * Writes a resize to conmon's control fifo. Non-blocking: opening a fifo
 * to write waits for a reader, and once conmon is gone there is none
 * (ENXIO instead of a thread stuck forever).
 */
async function resizeTerminal(bundle: string, size: TerminalSize): Promise<void> {
  const ctl = await open(join(bundle, "ctl"), constants.O_WRONLY | constants.O_NONBLOCK);
  try {
    await ctl.write(`${RESIZE_EVENT} ${size.height} ${size.width}\n`);
  } finally {
    await ctl.close();
  }
}

/** A session on the container's main process streams; `tty` says whether it runs on a terminal. */
export async function attachSession(
  target: AttachTarget,
  request: StreamOptions & { tty: boolean },
): Promise<StreamSession> {
  const socket = await connect(target.bundle);
  const stdout = request.stdout !== false ? new PassThrough() : undefined;
  const stderr = request.stderr !== false && !request.tty ? new PassThrough() : undefined;
  let ended = false;
  let finish: () => void = () => {};
  const exited = new Promise<{ exitCode: number }>((resolve) => {
    finish = () => {
      if (ended) return;
      ended = true;
      stdout?.end();
      stderr?.end();
      socket.destroy();
      // Detached, or the container ended: its exit code when conmon recorded one.
      void readExitCode(target.exitDir, target.id).then(
        (code) => resolve({ exitCode: code ?? 0 }),
        () => resolve({ exitCode: 0 }),
      );
    };
  });
  socket.on("data", (packet: Buffer) => {
    const data = packet.subarray(1);
    if (packet[0] === STDOUT_PIPE || request.tty) stdout?.write(data);
    else if (packet[0] === STDERR_PIPE) stderr?.write(data);
  });
  socket.on("end", finish);
  socket.on("close", finish);
  socket.on("error", finish);
  const stdin = request.stdin
    ? new Writable({
        write(chunk: Buffer, _enc, done) {
          if (ended) return done();
          for (let at = 0; at < chunk.length; at += MAX_PACKET) {
            const part = chunk.subarray(at, at + MAX_PACKET);
            socket.write(part, 0, part.length);
          }
          done();
        },
        final(done) {
          if (!ended) socket.end();
          done();
        },
      })
    : undefined;
  const resizes = new ResizeQueue({ write: (size) => resizeTerminal(target.bundle, size) });
  return {
    ...(stdin ? { stdin } : {}),
    ...(stdout ? { stdout } : {}),
    ...(stderr ? { stderr } : {}),
    resize: (size) => {
      if (!request.tty || ended || size.width <= 0 || size.height <= 0) return;
      resizes.push(size);
    },
    exited,
    async close() {
      finish();
      await exited;
    },
  };
}
