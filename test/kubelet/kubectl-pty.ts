/**
 * The real kubectl on a pseudo-terminal, for `-it` commands (exec, run,
 * debug): what it prints accumulates in screen(); kill() ends it.
 */
import pty from "node-pty";
import { KUBECTL } from "../support/kubectl.js";

export interface KubectlTerminal {
  /** Everything kubectl has printed so far. */
  screen(): string;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** kubectl's exit code once it ends. */
  readonly exited: Promise<number>;
  kill(): void;
}

/** Starts kubectl with `args` on a 100x30 terminal. */
export function kubectlOnPty(kubeconfig: string, args: readonly string[]): KubectlTerminal {
  const term = pty.spawn(KUBECTL, [...args], {
    env: { ...process.env, KUBECONFIG: kubeconfig },
    cols: 100,
    rows: 30,
  });
  let screen = "";
  term.onData((d) => {
    screen += d;
  });
  let done = false;
  const exited = new Promise<number>((resolve) =>
    term.onExit(({ exitCode }) => {
      done = true;
      resolve(exitCode);
    }),
  );
  return {
    screen: () => screen,
    write: (data) => term.write(data),
    resize: (cols, rows) => term.resize(cols, rows),
    exited,
    kill: () => {
      if (!done) term.kill();
    },
  };
}

/**
 * Types `line` into the terminal, again every `everyMs`, until the screen
 * matches `answer`: a line typed before the remote shell reads its
 * terminal (or a size asked before kubectl's resize arrived) can be lost
 * or stale on a loaded machine.
 */
export async function typeUntil(
  term: KubectlTerminal,
  line: string,
  answer: RegExp,
  opts: { everyMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  let typed = 0;
  while (!answer.test(term.screen())) {
    if (Date.now() > deadline)
      throw new Error(
        `no ${answer} after typing ${JSON.stringify(line)}; the screen ends:\n${term.screen().slice(-500)}`,
      );
    if (Date.now() - typed > (opts.everyMs ?? 3000)) {
      typed = Date.now();
      term.write(`${line}\r`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
