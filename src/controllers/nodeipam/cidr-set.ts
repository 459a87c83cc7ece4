import { type Cidr, cidrSize, containsCidr, familyBits, InvalidCidrError } from "./cidr.js";

/** At most 2^16 subnets per range (upstream's clusterSubnetMaxDiff): the bitmap stays small. */
const MAX_PREFIX_DIFF = 16;

/**
 * The subnets of one cluster CIDR as a bitmap (upstream's cidrset):
 * allocation scans from just past the last one handed out, wrapping around,
 * as upstream does, so a freed subnet is reused only once the scan comes
 * round to it again rather than handed straight to the next node while
 * addresses of the deleted one may still sit in other nodes' caches.
 */
export class CidrSet {
  private readonly used: Uint8Array;
  private readonly shift: bigint;
  private next = 0;
  private inUse = 0;
  /** How many subnets the range holds. */
  readonly count: number;

  constructor(
    readonly cluster: Cidr,
    readonly subnetPrefix: number,
  ) {
    const bits = familyBits(cluster.family);
    if (subnetPrefix > bits || subnetPrefix < cluster.prefix)
      throw new InvalidCidrError(
        `node CIDR mask /${subnetPrefix} does not fit the cluster CIDR /${cluster.prefix}`,
      );
    if (subnetPrefix - cluster.prefix > MAX_PREFIX_DIFF)
      throw new InvalidCidrError(
        `node CIDR mask /${subnetPrefix} is more than ${MAX_PREFIX_DIFF} bits longer than the cluster CIDR /${cluster.prefix}`,
      );
    this.count = 2 ** (subnetPrefix - cluster.prefix);
    this.used = new Uint8Array(this.count);
    this.shift = BigInt(bits - subnetPrefix);
  }

  get free(): number {
    return this.count - this.inUse;
  }

  /** The next free subnet, now marked used; undefined when the range is full. */
  allocateNext(): Cidr | undefined {
    for (let i = 0; i < this.count; i++) {
      const candidate = (this.next + i) % this.count;
      if (this.used[candidate]) continue;
      this.mark(candidate, 1);
      this.next = (candidate + 1) % this.count;
      return this.subnet(candidate);
    }
    return undefined;
  }

  /** Marks every subnet `c` overlaps as used; false when `c` is not in this range at all. */
  occupy(c: Cidr): boolean {
    const range = this.indices(c);
    if (!range) return false;
    for (let i = range.first; i <= range.last; i++) this.mark(i, 1);
    return true;
  }

  /** Frees every subnet `c` overlaps. */
  release(c: Cidr): void {
    const range = this.indices(c);
    if (!range) return;
    for (let i = range.first; i <= range.last; i++) this.mark(i, 0);
  }

  private mark(i: number, value: 0 | 1): void {
    if (this.used[i] === value) return;
    this.used[i] = value;
    this.inUse += value ? 1 : -1;
  }

  private subnet(i: number): Cidr {
    return {
      family: this.cluster.family,
      base: this.cluster.base + (BigInt(i) << this.shift),
      prefix: this.subnetPrefix,
    };
  }

  /** The subnet indices `c` overlaps, if any. */
  private indices(c: Cidr): { first: number; last: number } | undefined {
    if (containsCidr(c, this.cluster)) return { first: 0, last: this.count - 1 };
    if (!containsCidr(this.cluster, c)) return undefined;
    const offset = c.base - this.cluster.base;
    return {
      first: Number(offset >> this.shift),
      last: Number((offset + cidrSize(c) - 1n) >> this.shift),
    };
  }
}
