/**
 * The kubelet's serving certificate: like upstream without
 * --tls-cert-file, a self-signed pair made on first start under
 * `<root-dir>/pki` (kubelet.crt / kubelet.key) for the node's name and IPs.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createCA, issue, type KeyPairPem } from "../../pki/certs.js";

export async function ensureKubeletServingCert(
  rootDir: string,
  nodeName: string,
  ips: readonly string[],
): Promise<KeyPairPem> {
  const dir = join(rootDir, "pki");
  const certPath = join(dir, "kubelet.crt");
  const keyPath = join(dir, "kubelet.key");
  if (existsSync(certPath) && existsSync(keyPath))
    return { cert: readFileSync(certPath, "utf8"), key: readFileSync(keyPath, "utf8") };
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const ca = await createCA({ commonName: `${nodeName}-ca@k8ts` });
  const leaf = await issue(ca, {
    commonName: nodeName,
    dnsNames: [nodeName, "localhost"],
    ipAddresses: ["127.0.0.1", ...ips],
    usage: "server",
  });
  const cert = `${leaf.cert.trimEnd()}\n${ca.cert.trimEnd()}\n`;
  writeFileSync(keyPath, leaf.key, { mode: 0o600 });
  writeFileSync(certPath, cert, { mode: 0o644 });
  return { cert, key: leaf.key };
}
