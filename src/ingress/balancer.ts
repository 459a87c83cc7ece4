/**
 * Round robin over a backend's endpoints. Turns are kept by backend key
 * outside the route table, so swapping in a new table (an endpoint added
 * elsewhere) does not send every backend's next request to its first
 * endpoint again.
 */
import type { Backend, Endpoint } from "./backends.js";

export class RoundRobin {
  private readonly turns = new Map<string, number>();

  /** The next endpoint of `backend`, or undefined when it has none. */
  next(backend: Backend): Endpoint | undefined {
    const n = backend.endpoints.length;
    if (n === 0) return undefined;
    const turn = this.turns.get(backend.key) ?? 0;
    this.turns.set(backend.key, (turn + 1) % n);
    return backend.endpoints[turn % n];
  }

  /** Forgets turns of backends no longer routed to. */
  retain(keys: ReadonlySet<string> | ReadonlyMap<string, unknown>): void {
    for (const key of this.turns.keys()) if (!keys.has(key)) this.turns.delete(key);
  }
}
