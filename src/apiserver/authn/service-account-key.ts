/**
 * The key pair service account tokens are signed with (upstream's
 * --service-account-signing-key-file and --service-account-key-file), kept
 * beside the cluster CA as kubeadm keeps them: `<dataDir>/tls/sa.key`
 * (PKCS#8, 0600) and `sa.pub` (SPKI). Made on first start, reused after.
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  type KeyObject,
} from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

export interface ServiceAccountSigningKey {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** The JWS algorithm the key signs with: RS256 for RSA keys, ES256/ES384 for ECDSA ones. */
  readonly alg: "RS256" | "ES256" | "ES384";
  /** Upstream's key id: unpadded base64url of SHA-256 over the SPKI DER of the public key. */
  readonly kid: string;
}

export class SigningKeyError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SigningKeyError";
  }
}

function algorithmOf(key: KeyObject): ServiceAccountSigningKey["alg"] {
  if (key.asymmetricKeyType === "rsa") return "RS256";
  if (key.asymmetricKeyType === "ec") {
    const curve = key.asymmetricKeyDetails?.namedCurve;
    if (curve === "prime256v1") return "ES256";
    if (curve === "secp384r1") return "ES384";
  }
  throw new SigningKeyError(
    `service account keys must be RSA or ECDSA P-256/P-384, not ${key.asymmetricKeyType ?? "unknown"}`,
  );
}

/** The signing key of a PEM private key (PKCS#8, PKCS#1 or SEC1). */
export function signingKeyFromPem(pem: string): ServiceAccountSigningKey {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(pem);
  } catch (err) {
    throw new SigningKeyError("the service account key is not a PEM private key", { cause: err });
  }
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ type: "spki", format: "der" });
  const kid = createHash("sha256").update(der).digest("base64url");
  return { privateKey, publicKey, alg: algorithmOf(privateKey), kid };
}

/** `<dataDir>/tls/sa.key`, created (ECDSA P-256, like the rest of the PKI) when missing. */
export async function ensureServiceAccountKey(opts: {
  readonly dataDir: string;
}): Promise<ServiceAccountSigningKey> {
  const dir = join(opts.dataDir, "tls");
  const keyPath = join(dir, "sa.key");
  const pubPath = join(dir, "sa.pub");
  if (!existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const pair = await promisify(generateKeyPair)("ec", { namedCurve: "prime256v1" });
    writeFileSync(keyPath, pair.privateKey.export({ type: "pkcs8", format: "pem" }), {
      mode: 0o600,
    });
  }
  const key = signingKeyFromPem(readFileSync(keyPath, "utf8"));
  const pub = key.publicKey.export({ type: "spki", format: "pem" }) as string;
  if (!existsSync(pubPath) || readFileSync(pubPath, "utf8") !== pub)
    writeFileSync(pubPath, pub, { mode: 0o644 });
  return key;
}
