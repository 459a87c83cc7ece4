/**
 * An unbounded single-consumer queue exposed as an async iterator: producers
 * push() items or fail() with an error; the consumer iterates with
 * `for await`. After end() or fail(), queued items are still delivered, then
 * the iteration ends (or throws the failure).
 */
export class EventQueue<T> implements AsyncIterable<T> {
  private items: T[] = [];
  private head = 0;
  private waiter: ((result: IteratorResult<T>) => void) | undefined;
  private waiterReject: ((err: unknown) => void) | undefined;
  private done = false;
  private failure: { error: unknown } | undefined;
  private iterating = false;

  constructor(private readonly onReturn: () => void = () => {}) {}

  get closed(): boolean {
    return this.done;
  }

  /** Number of items waiting to be consumed. */
  get size(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    if (this.done) return;
    const waiter = this.waiter;
    if (waiter) {
      this.clearWaiter();
      waiter({ value: item, done: false });
      return;
    }
    this.items.push(item);
  }

  /** Ends the stream after the queued items. */
  end(): void {
    if (this.done) return;
    this.done = true;
    const waiter = this.waiter;
    if (waiter && this.size === 0) {
      this.clearWaiter();
      waiter({ value: undefined, done: true });
    }
  }

  /** Ends the stream with an error, thrown after the queued items. */
  fail(error: unknown): void {
    if (this.done) return;
    this.failure = { error };
    this.done = true;
    const reject = this.waiterReject;
    if (reject && this.size === 0) {
      this.clearWaiter();
      reject(error);
    }
  }

  private clearWaiter(): void {
    this.waiter = undefined;
    this.waiterReject = undefined;
  }

  private shift(): T {
    const item = this.items[this.head] as T;
    this.items[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    if (this.iterating) throw new Error("EventQueue supports a single consumer");
    this.iterating = true;
    return {
      next: () => {
        if (this.size > 0) return Promise.resolve({ value: this.shift(), done: false });
        if (this.failure) return Promise.reject(this.failure.error);
        if (this.done) return Promise.resolve({ value: undefined, done: true });
        return new Promise<IteratorResult<T>>((resolve, reject) => {
          this.waiter = resolve;
          this.waiterReject = reject;
        });
      },
      return: () => {
        this.end();
        this.items = [];
        this.head = 0;
        this.onReturn();
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}
