/** IPv4 CIDR arithmetic for the service range. Pure. */

export interface Cidr {
  readonly base: number;
  readonly bits: number;
  readonly size: number;
}

export function ipToInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`invalid IPv4 address: ${ip}`);
  }
  return (
    ((parts[0] as number) * 2 ** 24 +
      (parts[1] as number) * 2 ** 16 +
      (parts[2] as number) * 2 ** 8 +
      (parts[3] as number)) >>>
    0
  );
}

export function intToIp(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

export function parseCidr(cidr: string): Cidr {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(cidr.trim());
  if (!m) throw new Error(`invalid CIDR: ${cidr} (expected a.b.c.d/n)`);
  const bits = Number(m[2]);
  if (bits < 8 || bits > 30)
    throw new Error(`invalid CIDR: ${cidr}: prefix length must be 8 to 30`);
  const size = 2 ** (32 - bits);
  const base = ipToInt(m[1] as string) - (ipToInt(m[1] as string) % size);
  return { base, bits, size };
}

export function contains(c: Cidr, ip: string): boolean {
  const n = ipToInt(ip);
  return n >= c.base && n < c.base + c.size;
}

/** The first usable address (network + 1), which the `kubernetes` Service takes. */
export function firstServiceIP(cidr: string): string {
  return intToIp(parseCidr(cidr).base + 1);
}
