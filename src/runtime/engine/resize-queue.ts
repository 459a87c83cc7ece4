/**
 * Terminal resizes for conmon, one at a time. conmon 2.1 (Debian 12)
 * handles only the first line of each read of its ctl and winsz fifos, so
 * two resizes written close together apply the first one twice — and
 * kubectl sends two at once when it attaches (one cell larger, then the
 * real size, to make the program redraw). So sizes are written spaced
 * apart, only the latest of those that arrive meanwhile, and after a burst
 * the last size is written once more: whatever two lines ever share a
 * read, the terminal ends at the size asked for last. Writing a size the
 * terminal already has is harmless (the kernel signals only changes).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { TerminalSize } from "../cri.js";

export interface ResizeQueueOptions {
  /** Delivers one size (to conmon's ctl fifo). */
  write: (size: TerminalSize) => Promise<void>;
  /** Pause after each write. Default 100 ms. */
  gapMs?: number;
  /** Default: timers/promises setTimeout (tests pass a fake). */
  wait?: (ms: number) => Promise<unknown>;
}

const same = (a: TerminalSize | undefined, b: TerminalSize | undefined) =>
  a !== undefined && b !== undefined && a.width === b.width && a.height === b.height;

export class ResizeQueue {
  readonly #o: ResizeQueueOptions;
  #wanted: TerminalSize | undefined;
  #written: TerminalSize | undefined;
  #running: Promise<void> | undefined;

  constructor(options: ResizeQueueOptions) {
    this.#o = options;
  }

  push(size: TerminalSize): void {
    this.#wanted = size;
    this.#running ??= this.#drain().finally(() => {
      this.#running = undefined;
    });
  }

  /** Settles once every pushed size is written. */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #drain(): Promise<void> {
    const wait = this.#o.wait ?? sleep;
    let writes = 0;
    while (this.#wanted !== undefined && !same(this.#wanted, this.#written)) {
      const size = this.#wanted;
      await this.#o.write(size).catch(() => {});
      this.#written = size;
      writes++;
      await wait(this.#o.gapMs ?? 100);
    }
    if (writes > 1 && this.#written !== undefined) {
      await this.#o.write(this.#written).catch(() => {});
    }
  }
}
