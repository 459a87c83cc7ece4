/**
 * Which certificate answers a TLS handshake (pure). Each spec.tls entry of
 * a served Ingress names a `kubernetes.io/tls` Secret in the Ingress's
 * namespace and the hosts it covers; SNI picks the precise host, then the
 * wildcard covering it, then an entry listing no hosts. Anything else gets
 * the controller's self-signed default. The oldest Ingress wins conflicts.
 */
import type { Secret } from "kubernetes-types/core/v1.js";
import type { Ingress } from "kubernetes-types/networking/v1.js";
import { isWildcard, normalizeHost, wildcardSuffixOf } from "./hosts.js";
import { oldestFirst } from "./routes.js";

export const TLS_SECRET_TYPE = "kubernetes.io/tls";

export interface TlsCert {
  /** `namespace/name` of the Secret. */
  readonly secret: string;
  /** The Secret's resourceVersion: a new one means a new certificate. */
  readonly version: string;
  readonly cert: string;
  readonly key: string;
}

export interface TlsTable {
  readonly precise: ReadonlyMap<string, TlsCert>;
  /** Keyed by the suffix a wildcard covers: `*.foo.com` under `.foo.com`. */
  readonly wildcard: ReadonlyMap<string, TlsCert>;
  readonly fallback?: TlsCert;
}

export const EMPTY_TLS: TlsTable = { precise: new Map(), wildcard: new Map() };

/** A Secret's certificate and key, or why it cannot serve. */
export function certOfSecret(secret: Secret | undefined): TlsCert | string {
  if (!secret) return "secret not found";
  if (secret.type !== TLS_SECRET_TYPE) return `secret type is not ${TLS_SECRET_TYPE}`;
  const crt = secret.data?.["tls.crt"];
  const key = secret.data?.["tls.key"];
  if (!crt || !key) return "secret lacks tls.crt or tls.key";
  return {
    secret: `${secret.metadata?.namespace ?? ""}/${secret.metadata?.name ?? ""}`,
    version: secret.metadata?.resourceVersion ?? "",
    cert: Buffer.from(crt, "base64").toString("utf8"),
    key: Buffer.from(key, "base64").toString("utf8"),
  };
}

/** Builds the SNI table; `problems` lists entries that could not be used, for the log. */
export function buildTlsTable(
  ingresses: readonly Ingress[],
  secrets: readonly Secret[],
): { table: TlsTable; problems: string[] } {
  const byKey = new Map<string, Secret>();
  for (const s of secrets) byKey.set(`${s.metadata?.namespace ?? ""}/${s.metadata?.name}`, s);
  const precise = new Map<string, TlsCert>();
  const wildcard = new Map<string, TlsCert>();
  let fallback: TlsCert | undefined;
  const problems: string[] = [];
  for (const ing of oldestFirst(ingresses)) {
    const ns = ing.metadata?.namespace ?? "";
    for (const entry of ing.spec?.tls ?? []) {
      if (!entry.secretName) continue;
      const cert = certOfSecret(byKey.get(`${ns}/${entry.secretName}`));
      if (typeof cert === "string") {
        problems.push(`${ns}/${ing.metadata?.name}: tls secret ${entry.secretName}: ${cert}`);
        continue;
      }
      const hosts = entry.hosts ?? [];
      if (hosts.length === 0) fallback ??= cert;
      for (const raw of hosts) {
        const host = normalizeHost(raw);
        const map = isWildcard(host) ? wildcard : precise;
        const key = isWildcard(host) ? host.slice(1) : host;
        if (!map.has(key)) map.set(key, cert);
      }
    }
  }
  return { table: fallback ? { precise, wildcard, fallback } : { precise, wildcard }, problems };
}

/** The certificate for an SNI name, or undefined for the default one. */
export function certificateFor(
  table: TlsTable,
  servername: string | undefined,
): TlsCert | undefined {
  if (!servername) return table.fallback;
  const name = normalizeHost(servername);
  const precise = table.precise.get(name);
  if (precise) return precise;
  const suffix = wildcardSuffixOf(name);
  return (suffix !== undefined ? table.wildcard.get(suffix) : undefined) ?? table.fallback;
}
