/**
 * Per-cycle scratch space: PreFilter/PreScore write what Filter/Score read.
 * Keys are typed handles so readers get the writer's type back.
 */

export interface StateKey<T> {
  readonly name: string;
  /** Phantom field carrying the value type; never set. */
  readonly __type?: T;
}

export function stateKey<T>(name: string): StateKey<T> {
  return { name };
}

export class CycleState {
  private readonly data = new Map<string, unknown>();

  read<T>(key: StateKey<T>): T | undefined {
    return this.data.get(key.name) as T | undefined;
  }

  write<T>(key: StateKey<T>, value: T): void {
    this.data.set(key.name, value);
  }

  delete(key: StateKey<unknown>): void {
    this.data.delete(key.name);
  }

  /** A shallow copy: values are shared, so plugins must not mutate them after writing. */
  clone(): CycleState {
    const copy = new CycleState();
    for (const [k, v] of this.data) copy.data.set(k, v);
    return copy;
  }
}
