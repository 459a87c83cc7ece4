/**
 * Wires a stream session (exec, or attach for `run -i/-t`) to this
 * process's terminal: stdin in (raw when it is a terminal and the session
 * has one), stdout and stderr out, window size changes forwarded.
 */
import type { StreamSession } from "../../../runtime/cri.js";

export function relaySession(
  session: StreamSession,
  options: { tty: boolean; stdin: boolean },
): Promise<{ exitCode: number }> {
  session.stdout?.on("data", (d: Buffer) => process.stdout.write(d));
  session.stderr?.on("data", (d: Buffer) => process.stderr.write(d));
  const input = process.stdin;
  const raw = options.tty && options.stdin && input.isTTY;
  if (raw) input.setRawMode(true);
  const toStdin = (d: Buffer) => session.stdin?.write(d);
  const endStdin = () => session.stdin?.end();
  if (options.stdin && session.stdin) {
    input.on("data", toStdin);
    input.once("end", endStdin);
  }
  const resize = () => {
    if (process.stdout.columns && process.stdout.rows)
      session.resize({ width: process.stdout.columns, height: process.stdout.rows });
  };
  if (options.tty) {
    resize();
    process.stdout.on("resize", resize);
  }
  return session.exited.finally(() => {
    input.off("data", toStdin);
    input.off("end", endStdin);
    if (raw) input.setRawMode(false);
    input.pause();
    process.stdout.off("resize", resize);
  });
}
