/** IP prefixes as numbers: IPv4 in 32 bits, IPv6 in 128, both as bigint so one code path serves both. */

export type IpFamily = 4 | 6;

export interface Cidr {
  readonly family: IpFamily;
  /** The network address (host bits zero). */
  readonly base: bigint;
  readonly prefix: number;
}

/** A CIDR that does not parse, or a configuration that cannot work. */
export class InvalidCidrError extends Error {
  override readonly name = "InvalidCidrError";
}

export const familyBits = (family: IpFamily) => (family === 4 ? 32 : 128);

function parseIPv4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255) return undefined;
    value = (value << 8n) | BigInt(Number(p));
  }
  return value;
}

function parseIPv6(s: string): bigint | undefined {
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined) => (h ? h.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  // A trailing dotted quad (::ffff:10.0.0.1) stands for two groups.
  const last = tail.length > 0 ? tail : head;
  const quad = last[last.length - 1];
  let quadValue: bigint | undefined;
  if (quad?.includes(".")) {
    quadValue = parseIPv4(quad);
    if (quadValue === undefined) return undefined;
    last.splice(
      last.length - 1,
      1,
      (quadValue >> 16n).toString(16),
      (quadValue & 0xffffn).toString(16),
    );
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<string>(halves.length === 1 ? 0 : missing).fill("0"), ...tail];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return value;
}

/** An address as a number with its family, or undefined if it is not one. */
export function parseIp(s: string): { family: IpFamily; value: bigint } | undefined {
  const v4 = parseIPv4(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  const v6 = s.includes(":") ? parseIPv6(s) : undefined;
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

/** Parses `a.b.c.d/n` or `x::/n`; host bits must be zero, as upstream's ParseCIDR masks them. */
export function parseCidr(s: string): Cidr {
  const slash = s.indexOf("/");
  const ip = slash < 0 ? undefined : parseIp(s.slice(0, slash).trim());
  const prefixText = s.slice(slash + 1).trim();
  if (!ip || !/^\d{1,3}$/.test(prefixText))
    throw new InvalidCidrError(`invalid CIDR address: ${s}`);
  const prefix = Number(prefixText);
  if (prefix > familyBits(ip.family)) throw new InvalidCidrError(`invalid CIDR address: ${s}`);
  return { family: ip.family, base: ip.value & mask(ip.family, prefix), prefix };
}

/** The netmask of a prefix length. */
export function mask(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(familyBits(family));
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** How many addresses a CIDR spans. */
export function cidrSize(c: Cidr): bigint {
  return 1n << BigInt(familyBits(c.family) - c.prefix);
}

export function formatIp(family: IpFamily, value: bigint): string {
  if (family === 4)
    return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join(".");
  const groups = Array.from({ length: 8 }, (_, i) =>
    Number((value >> BigInt(112 - 16 * i)) & 0xffffn),
  );
  // RFC 5952: compress the longest run (of two or more) of zero groups, the first if tied.
  let best = { at: -1, len: 1 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.len) best = { at: i, len: j - i };
    i = j;
  }
  const hex = (gs: number[]) => gs.map((g) => g.toString(16)).join(":");
  if (best.at < 0) return hex(groups);
  return `${hex(groups.slice(0, best.at))}::${hex(groups.slice(best.at + best.len))}`;
}

export function formatCidr(c: Cidr): string {
  return `${formatIp(c.family, c.base)}/${c.prefix}`;
}

/** Whether `outer` contains all of `inner`. */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return (
    outer.family === inner.family &&
    inner.prefix >= outer.prefix &&
    (inner.base & mask(outer.family, outer.prefix)) === outer.base
  );
}
