import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { isIP } from "node:net";
import { hostname, networkInterfaces } from "node:os";
import { join } from "node:path";
import {
  createCA,
  daysLeft,
  issue,
  type KeyPairPem,
  loadCA,
  subjectAltNames,
} from "../pki/certs.js";

export interface ServingCerts {
  readonly ca: KeyPairPem;
  readonly serving: KeyPairPem;
  readonly caPath: string;
}

function readPair(dir: string, name: string): KeyPairPem | undefined {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  if (!existsSync(cert) || !existsSync(key)) return undefined;
  return { cert: readFileSync(cert, "utf8"), key: readFileSync(key, "utf8") };
}

function writePair(dir: string, name: string, pair: KeyPairPem): void {
  writeFileSync(join(dir, `${name}.crt`), pair.cert, { mode: 0o644 });
  writeFileSync(join(dir, `${name}.key`), pair.key, { mode: 0o600 });
}

/**
 * The address the API server advertises to in-cluster clients (the
 * `kubernetes` Service's endpoint): the first global IPv4 of a real
 * interface, not a bridge or veth of the pod network.
 */
export function advertiseAddress(): string {
  for (const [name, list] of Object.entries(networkInterfaces())) {
    if (/^(lo|cni|veth|docker|k8t|flannel|cali)/.test(name)) continue;
    for (const a of list ?? []) if (a.family === "IPv4" && !a.internal) return a.address;
  }
  return "127.0.0.1";
}

/**
 * This host's non-internal addresses, IPv4 and IPv6, as kubeadm and k3s
 * put them in the serving certificate; IPv6 link-local ones (fe80::/10)
 * are left out: they only mean something with a zone.
 */
export function hostAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.internal) continue;
      if (a.family === "IPv4" || (a.family === "IPv6" && !isLinkLocalV6(a.address))) {
        out.push(a.address);
      }
    }
  }
  return out;
}

/** fe80::/10: the first 16 bits are fe80 to febf. */
export function isLinkLocalV6(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

/**
 * The cluster CA and the API server's serving certificate under
 * `<dataDir>/tls`, created on first start. The serving certificate is
 * issued again when a needed SAN is missing or it expires within 30 days.
 */
export async function ensureServingCerts(opts: {
  dataDir: string;
  clusterDomain: string;
  serviceIP: string;
  extraSANs?: readonly string[];
}): Promise<ServingCerts> {
  const dir = join(opts.dataDir, "tls");
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  let caPair = readPair(dir, "ca");
  if (!caPair) {
    const ca = await createCA({ commonName: "k8ts-ca" });
    caPair = { cert: ca.cert, key: ca.key };
    writePair(dir, "ca", caPair);
  }
  const dns = [
    "localhost",
    hostname(),
    "kubernetes",
    "kubernetes.default",
    "kubernetes.default.svc",
    `kubernetes.default.svc.${opts.clusterDomain}`,
    ...(opts.extraSANs ?? []).filter((s) => isIP(s) === 0),
  ];
  const ips = [
    "127.0.0.1",
    opts.serviceIP,
    ...hostAddresses(),
    ...(opts.extraSANs ?? []).filter((s) => isIP(s) !== 0),
  ];
  let serving = readPair(dir, "apiserver");
  const ok = (p: KeyPairPem) => {
    const sans = subjectAltNames(p.cert);
    return (
      daysLeft(p.cert) > 30 &&
      dns.every((d) => sans.dns.includes(d)) &&
      ips.every((i) => sans.ip.includes(i))
    );
  };
  if (!serving || !ok(serving)) {
    const ca = await loadCA(caPair);
    serving = await issue(ca, {
      commonName: "kube-apiserver",
      dnsNames: [...new Set(dns)],
      ipAddresses: [...new Set(ips)],
      usage: "server",
    });
    writePair(dir, "apiserver", serving);
  }
  return { ca: caPair, serving, caPath: join(dir, "ca.crt") };
}

/** A client certificate for `user` in `groups`, signed by the cluster CA. */
export async function clientCert(
  ca: KeyPairPem,
  user: string,
  groups: readonly string[],
): Promise<KeyPairPem> {
  return issue(await loadCA(ca), { commonName: user, organizations: groups, usage: "client" });
}
