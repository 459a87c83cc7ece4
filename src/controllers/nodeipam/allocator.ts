import { type Cidr, formatCidr, InvalidCidrError, type IpFamily, parseCidr } from "./cidr.js";
import { CidrSet } from "./cidr-set.js";

export interface RangeAllocatorOptions {
  /** One CIDR, or two of different families for dual stack (--cluster-cidr, comma-separated). */
  readonly clusterCidr: string;
  /** IPv4 node subnet size (--node-cidr-mask-size-ipv4 / --node-cidr-mask-size, 24). */
  readonly nodeCidrMaskSize?: number;
  /** IPv6 node subnet size (--node-cidr-mask-size-ipv6, 64). */
  readonly nodeCidrMaskSizeIpv6?: number;
}

/**
 * Upstream's range allocator without its I/O: one CidrSet per cluster
 * CIDR; a node gets one subnet from each, in --cluster-cidr order (so
 * spec.podCIDR is from the first family listed). What is in use lives
 * only in Node objects; the controller replays them through occupy().
 */
export class RangeAllocator {
  private readonly sets: CidrSet[];

  constructor(opts: RangeAllocatorOptions) {
    const cidrs = opts.clusterCidr
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "")
      .map(parseCidr);
    if (cidrs.length === 0) throw new InvalidCidrError("no cluster CIDR given");
    if (cidrs.length > 2 || (cidrs.length === 2 && cidrs[0]?.family === cidrs[1]?.family))
      throw new InvalidCidrError(
        `cluster CIDR ${opts.clusterCidr}: at most one CIDR per IP family (dual stack)`,
      );
    const maskFor = (family: IpFamily) =>
      family === 4 ? (opts.nodeCidrMaskSize ?? 24) : (opts.nodeCidrMaskSizeIpv6 ?? 64);
    this.sets = cidrs.map((c) => new CidrSet(c, maskFor(c.family)));
  }

  /** Subnets free in the fullest range. */
  get free(): number {
    return Math.min(...this.sets.map((s) => s.free));
  }

  /**
   * Marks a node's CIDRs as taken. Returns the ones outside every range
   * (left alone: someone else assigned them).
   */
  occupy(cidrs: readonly string[]): string[] {
    const foreign: string[] = [];
    for (const text of cidrs) {
      const c = tryParse(text);
      if (!c || !this.sets.some((s) => s.occupy(c))) foreign.push(text);
    }
    return foreign;
  }

  /** One subnet per range, or undefined (nothing taken) when any range is full. */
  allocate(): string[] | undefined {
    const got: Cidr[] = [];
    for (const set of this.sets) {
      const c = set.allocateNext();
      if (!c) {
        this.releaseParsed(got);
        return undefined;
      }
      got.push(c);
    }
    return got.map(formatCidr);
  }

  release(cidrs: readonly string[]): void {
    this.releaseParsed(cidrs.map(tryParse).filter((c): c is Cidr => c !== undefined));
  }

  private releaseParsed(cidrs: readonly Cidr[]): void {
    for (const c of cidrs) for (const set of this.sets) set.release(c);
  }
}

function tryParse(text: string): Cidr | undefined {
  try {
    return parseCidr(text);
  } catch {
    return undefined;
  }
}

/** A node's pod CIDRs: spec.podCIDRs, or the older single spec.podCIDR. */
export function nodePodCidrs(
  spec: { podCIDR?: string; podCIDRs?: string[] } | undefined,
): string[] {
  if (spec?.podCIDRs?.length) return spec.podCIDRs;
  return spec?.podCIDR ? [spec.podCIDR] : [];
}
