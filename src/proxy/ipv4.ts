/** IPv4 text checks: this proxy programs iptables (IPv4) only, so other families are skipped. */

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIPv4(ip: string): boolean {
  const m = IPV4.exec(ip);
  return !!m && m.slice(1).every((o) => Number(o) <= 255);
}

/** `a.b.c.d/n`, or a bare address (a /32). */
export function isIPv4Cidr(cidr: string): boolean {
  const [ip, bits, ...rest] = cidr.split("/");
  return (
    rest.length === 0 &&
    isIPv4(ip ?? "") &&
    (bits === undefined || /^([0-9]|[12][0-9]|3[0-2])$/.test(bits))
  );
}

function toNumber(ip: string): number {
  return ip.split(".").reduce((n, o) => n * 256 + Number(o), 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
  if (!isIPv4Cidr(cidr) || !isIPv4(ip)) return false;
  const [base = "", bitsText = "32"] = cidr.split("/");
  const bits = Number(bitsText);
  const size = 2 ** (32 - bits);
  return Math.floor(toNumber(base) / size) === Math.floor(toNumber(ip) / size);
}

/** The network a CIDR names, in canonical form (`10.42.1.7/24` → `10.42.1.0/24`); the kernel refuses host bits. */
export function cidrNetwork(cidr: string): string {
  const [base = "", bitsText = "32"] = cidr.split("/");
  const size = 2 ** (32 - Number(bitsText));
  let n = Math.floor(toNumber(base) / size) * size;
  const octets: number[] = [];
  for (let i = 0; i < 4; i++) {
    octets.unshift(n % 256);
    n = Math.floor(n / 256);
  }
  return `${octets.join(".")}/${bitsText}`;
}
