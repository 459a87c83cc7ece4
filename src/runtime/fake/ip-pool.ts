/** Hands out IPv4 addresses of a CIDR to sandboxes, in memory (the fake runtime's IPAM). */
export class IpPool {
  readonly #base: number;
  readonly #size: number;
  readonly #byOwner = new Map<string, number>();
  readonly #used = new Set<number>();
  #next = 2;

  /** `cidr` like `10.88.0.0/16`; .0 (network), .1 (gateway) and the broadcast address are never handed out. */
  constructor(cidr: string) {
    const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(cidr);
    const prefix = Number(match?.[5]);
    const octets = match?.slice(1, 5).map(Number) ?? [];
    if (match === null || prefix < 8 || prefix > 30 || octets.some((o) => o > 255)) {
      throw new Error(`invalid pod CIDR ${JSON.stringify(cidr)}: want an IPv4 a.b.c.d/8..30`);
    }
    const [a = 0, b = 0, c = 0, d = 0] = octets;
    this.#size = 2 ** (32 - prefix);
    this.#base =
      ((a * 256 + b) * 256 + c) * 256 + d - ((((a * 256 + b) * 256 + c) * 256 + d) % this.#size);
  }

  allocate(owner: string): string {
    const held = this.#byOwner.get(owner);
    if (held !== undefined) return format(this.#base + held);
    const usable = this.#size - 3;
    if (this.#used.size >= usable)
      throw new Error(`no free IP left in the pod CIDR (${usable} in use)`);
    while (this.#used.has(this.#next))
      this.#next = this.#next + 1 >= this.#size - 1 ? 2 : this.#next + 1;
    const offset = this.#next;
    this.#next = offset + 1 >= this.#size - 1 ? 2 : offset + 1;
    this.#used.add(offset);
    this.#byOwner.set(owner, offset);
    return format(this.#base + offset);
  }

  release(owner: string): void {
    const held = this.#byOwner.get(owner);
    if (held === undefined) return;
    this.#byOwner.delete(owner);
    this.#used.delete(held);
  }
}

function format(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}
