/** The service IP range and NodePort range the allocators draw from. Pure. */
import { type Cidr, contains, intToIp, parseCidr } from "../service-cidr.js";

export interface PortRange {
  readonly base: number;
  readonly size: number;
}

export function parsePortRange(text: string): PortRange {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`invalid port range ${text}: expected FROM-TO`);
  const from = Number(m[1]);
  const to = Number(m[2]);
  if (from < 1 || to > 65535 || from > to) throw new Error(`invalid port range ${text}`);
  return { base: from, size: to - from + 1 };
}

export function inPortRange(r: PortRange, port: number): boolean {
  return port >= r.base && port < r.base + r.size;
}

export function portRangeText(r: PortRange): string {
  return `${r.base}-${r.base + r.size - 1}`;
}

/** Usable service IPs: the network address and the first one (the `kubernetes` Service's) are never handed out at random. */
export function randomServiceIP(c: Cidr, random: () => number): string {
  const usable = c.size - 3; // network, kubernetes service, broadcast
  return intToIp(c.base + 2 + Math.floor(random() * usable));
}

export function randomNodePort(r: PortRange, random: () => number): number {
  return r.base + Math.floor(random() * r.size);
}

export { type Cidr, contains, parseCidr };
