/**
 * X.509 for the cluster: a CA, serving certificates with SANs, and client
 * certificates whose CN is the user and whose O entries are its groups (the
 * way Kubernetes reads client certificates). ECDSA P-256 keys: fast to make
 * and accepted by kubectl, client-go and Node's TLS.
 */
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API.
import "reflect-metadata";
import { randomBytes, webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

const crypto = webcrypto;
// @peculiar/x509 types the provider with the DOM Crypto type; Node's webcrypto is that object.
x509.cryptoProvider.set(crypto as unknown as Parameters<typeof x509.cryptoProvider.set>[1]);

const ALG = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface KeyPairPem {
  readonly cert: string;
  readonly key: string;
}

export interface CertificateAuthority extends KeyPairPem {
  readonly certificate: x509.X509Certificate;
  readonly privateKey: CryptoKey;
}

function serial(): string {
  // Positive 16-byte serial number.
  const b = randomBytes(16);
  b[0] = (b[0] as number) & 0x7f;
  return b.toString("hex");
}

async function keyPem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey("pkcs8", key);
  return x509.PemConverter.encode(der, "PRIVATE KEY");
}

/** RDN string for a subject: CN first, then one O per group. */
function subjectName(commonName: string, organizations: readonly string[]): string {
  const esc = (v: string) => v.replace(/([,+"\\<>;=])/g, "\\$1");
  return [`CN=${esc(commonName)}`, ...organizations.map((o) => `O=${esc(o)}`)].join(", ");
}

export async function createCA(opts: {
  commonName: string;
  /** Validity in days (default 3650). */
  days?: number;
  now?: Date;
}): Promise<CertificateAuthority> {
  const now = opts.now ?? new Date();
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: subjectName(opts.commonName, []),
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (opts.days ?? 3650) * DAY_MS),
    signingAlgorithm: ALG,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign |
          x509.KeyUsageFlags.cRLSign |
          x509.KeyUsageFlags.digitalSignature,
        true,
      ),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificate,
    privateKey: keys.privateKey,
    cert: certificate.toString("pem"),
    key: await keyPem(keys.privateKey),
  };
}

export async function loadCA(pem: KeyPairPem): Promise<CertificateAuthority> {
  const certificate = new x509.X509Certificate(pem.cert);
  const der = x509.PemConverter.decodeFirst(pem.key);
  const privateKey = await crypto.subtle.importKey("pkcs8", der, ALG, true, ["sign"]);
  return { certificate, privateKey, cert: pem.cert, key: pem.key };
}

export interface LeafOptions {
  readonly commonName: string;
  /** O= entries; for client certificates these are the user's groups. */
  readonly organizations?: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly usage: "server" | "client" | "both";
  /** Validity in days (default 365). */
  readonly days?: number;
  readonly now?: Date;
}

/** Issues a certificate signed by `ca` for a fresh key. */
export async function issue(ca: CertificateAuthority, opts: LeafOptions): Promise<KeyPairPem> {
  const now = opts.now ?? new Date();
  const keys = (await crypto.subtle.generateKey(ALG, true, ["sign", "verify"])) as CryptoKeyPair;
  const usages: string[] = [];
  if (opts.usage !== "client") usages.push(x509.ExtendedKeyUsage.serverAuth);
  if (opts.usage !== "server") usages.push(x509.ExtendedKeyUsage.clientAuth);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(
      x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
      true,
    ),
    new x509.ExtendedKeyUsageExtension(usages),
    await x509.AuthorityKeyIdentifierExtension.create(ca.certificate),
  ];
  const names = [
    ...(opts.dnsNames ?? []).map((value) => ({ type: "dns" as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: "ip" as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: subjectName(opts.commonName, opts.organizations ?? []),
    issuer: ca.certificate.subject,
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + (opts.days ?? 365) * DAY_MS),
    signingAlgorithm: ALG,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    extensions,
  });
  return { cert: certificate.toString("pem"), key: await keyPem(keys.privateKey) };
}

/** Days until `pem` expires (negative when expired). */
export function daysLeft(pem: string, now: Date = new Date()): number {
  const cert = new x509.X509Certificate(pem);
  return (cert.notAfter.getTime() - now.getTime()) / DAY_MS;
}

/** The DNS and IP SANs of a certificate. */
export function subjectAltNames(pem: string): { dns: string[]; ip: string[] } {
  const cert = new x509.X509Certificate(pem);
  const ext = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const dns: string[] = [];
  const ip: string[] = [];
  for (const n of ext?.names.toJSON() ?? []) {
    if (n.type === "dns") dns.push(n.value);
    if (n.type === "ip") ip.push(n.value);
  }
  return { dns, ip };
}
