/**
 * imagePullSecrets to CRI credentials: `kubernetes.io/dockerconfigjson`
 * (`{"auths": {host: {...}}}`) and the older `kubernetes.io/dockercfg`
 * (`{host: {...}}`), matched against the image's registry host as the
 * kubelet's credential keyring does (scheme and path of the key ignored).
 */
import type { Secret } from "kubernetes-types/core/v1.js";
import type { AuthConfig } from "../../runtime/cri.js";

type Entry = { auth?: string; username?: string; password?: string; identitytoken?: string };

function decode(b64: string | undefined): unknown {
  if (!b64) return undefined;
  try {
    return JSON.parse(Buffer.from(b64, "base64").toString("utf8"));
  } catch {
    return undefined;
  }
}

function hostOf(key: string): string {
  return key.replace(/^[a-z]+:\/\//, "").split("/")[0] as string;
}

function entries(secret: Secret): [string, Entry][] {
  const data = secret.data ?? {};
  let auths: unknown;
  if (secret.type === "kubernetes.io/dockerconfigjson")
    auths = (decode(data[".dockerconfigjson"]) as { auths?: unknown } | undefined)?.auths;
  else if (secret.type === "kubernetes.io/dockercfg") auths = decode(data[".dockercfg"]);
  if (!auths || typeof auths !== "object") return [];
  return Object.entries(auths as Record<string, Entry>);
}

/** Credentials for every pull secret entry matching the registry host, in secret order. */
export function credentialsFor(host: string, secrets: readonly Secret[]): AuthConfig[] {
  const want =
    host === "docker.io" ? ["docker.io", "index.docker.io", "registry-1.docker.io"] : [host];
  const out: AuthConfig[] = [];
  for (const s of secrets) {
    for (const [key, e] of entries(s)) {
      if (!want.includes(hostOf(key))) continue;
      let { username, password } = e;
      if ((!username || !password) && e.auth) {
        const text = Buffer.from(e.auth, "base64").toString("utf8");
        const i = text.indexOf(":");
        if (i > 0) {
          username = text.slice(0, i);
          password = text.slice(i + 1);
        }
      }
      out.push({
        serverAddress: host,
        ...(username ? { username } : {}),
        ...(password ? { password } : {}),
        ...(e.identitytoken ? { identityToken: e.identitytoken } : {}),
      });
    }
  }
  return out;
}
