/**
 * Domain names and addresses as the DNS schema spells them: lowercase,
 * no trailing dot, reverse (in-addr.arpa / ip6.arpa) names and the
 * dashed form of an IP used as a label (`10-42-0-5`). All comparisons
 * between query data and Kubernetes data are case-insensitive (DNS
 * specification 2.1), so every name is lowercased before it is compared.
 */

/** The form names are kept and compared in: lowercase, without the root dot. */
export function canonicalName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/** Whether `name` is `zone` or below it (both canonical). */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** The labels of `name` above `zone`, leftmost first (`name` must be in the zone). */
export function labelsAbove(name: string, zone: string): string[] {
  if (name === zone) return [];
  return name.slice(0, name.length - zone.length - 1).split(".");
}

/** The four octets of a dotted-quad IPv4 address, or undefined. */
export function parseIpv4(ip: string): number[] | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const p of parts) {
    // Leading zeros are refused: "010" is octal to some parsers, decimal to others.
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    octets.push(n);
  }
  return octets;
}

/** The eight 16-bit groups of an IPv6 address, or undefined (no zone ids, no embedded IPv4). */
export function parseIpv6(ip: string): number[] | undefined {
  const halves = ip.toLowerCase().split("::");
  if (halves.length > 2) return undefined;
  const group = (s: string) => (s === "" ? [] : s.split(":"));
  const head = group(halves[0] ?? "");
  const tail = halves.length === 2 ? group(halves[1] ?? "") : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(Math.max(missing, 0)).fill("0"), ...tail];
  const groups: number[] = [];
  for (const g of all) {
    if (!/^[0-9a-f]{1,4}$/.test(g)) return undefined;
    groups.push(Number.parseInt(g, 16));
  }
  return groups;
}

/** 4 for IPv4, 6 for IPv6, 0 for anything else. */
export function ipFamily(ip: string): 0 | 4 | 6 {
  if (parseIpv4(ip)) return 4;
  if (parseIpv6(ip)) return 6;
  return 0;
}

/** One spelling per address, so a service IP and a reverse query meet in one map key. */
export function canonicalIp(ip: string): string | undefined {
  const v4 = parseIpv4(ip);
  if (v4) return v4.join(".");
  const v6 = parseIpv6(ip);
  return v6 ? v6.map((g) => g.toString(16)).join(":") : undefined;
}

/** The PTR owner name of an address (`5.0.42.10.in-addr.arpa`). */
export function reverseName(ip: string): string | undefined {
  const v4 = parseIpv4(ip);
  if (v4) return `${[...v4].reverse().join(".")}.in-addr.arpa`;
  const v6 = parseIpv6(ip);
  if (!v6) return undefined;
  const nibbles = v6.map((g) => g.toString(16).padStart(4, "0")).join("");
  return `${[...nibbles].reverse().join(".")}.ip6.arpa`;
}

/** The address a reverse name stands for (canonical), or undefined if it names a whole range. */
export function addressOfReverseName(name: string): string | undefined {
  if (name.endsWith(".in-addr.arpa")) {
    const labels = name.slice(0, -".in-addr.arpa".length).split(".");
    if (labels.length !== 4) return undefined;
    return canonicalIp(labels.reverse().join("."));
  }
  if (name.endsWith(".ip6.arpa")) {
    const labels = name.slice(0, -".ip6.arpa".length).split(".");
    if (labels.length !== 32 || labels.some((l) => !/^[0-9a-f]$/.test(l))) return undefined;
    const hex = labels.reverse().join("");
    return canonicalIp(hex.match(/.{4}/g)?.join(":") ?? "");
  }
  return undefined;
}

/** Whether a name is under one of the reverse-mapping trees. */
export function isReverseName(name: string): boolean {
  return inZone(name, "in-addr.arpa") || inZone(name, "ip6.arpa");
}

/**
 * An address written as one label, as CoreDNS names endpoints without a
 * hostname and pods: dots (IPv4) or colons (IPv6) become dashes.
 */
export function dashedIp(ip: string): string {
  return ip.includes(":") ? ip.replaceAll(":", "-") : ip.replaceAll(".", "-");
}

/** The address in a dashed label (`10-42-0-5` → `10.42.0.5`), or undefined. */
export function ipOfDashed(label: string): string | undefined {
  const v4 = label.replaceAll("-", ".");
  if (parseIpv4(v4)) return v4;
  const v6 = label.replaceAll("-", ":");
  return parseIpv6(v6) ? v6 : undefined;
}
