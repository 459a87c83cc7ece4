import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";

/** Everything needed to reach and authenticate to an API server. */
export interface ClientConfig {
  /** `https://host:port`. */
  readonly server: string;
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
  readonly token?: string;
  /** A file holding the token, re-read about once a minute (service account tokens rotate). */
  readonly tokenFile?: string;
  readonly insecureSkipTLSVerify?: boolean;
  /** The namespace of the context (default "default"). */
  readonly namespace: string;
  readonly userAgent?: string;
  /** Client-side rate limit: steady requests per second (default 50) and burst (default 100). */
  readonly qps?: number;
  readonly burst?: number;
}

export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ConfigError";
  }
}

interface Kubeconfig {
  clusters?: Array<{ name: string; cluster: Record<string, unknown> }>;
  users?: Array<{ name: string; user: Record<string, unknown> }>;
  contexts?: Array<{
    name: string;
    context: { cluster?: string; user?: string; namespace?: string };
  }>;
  "current-context"?: string;
}

function bytes(
  obj: Record<string, unknown>,
  dataKey: string,
  fileKey: string,
  base: string,
): Buffer | undefined {
  const data = obj[dataKey];
  if (typeof data === "string" && data !== "") return Buffer.from(data, "base64");
  const file = obj[fileKey];
  if (typeof file === "string" && file !== "")
    return readFileSync(file.startsWith("/") ? file : join(base, file));
  return undefined;
}

/**
 * Reads a kubeconfig file (the one given, else $KUBECONFIG, else
 * ~/.kube/config) and resolves a context (the given one or current-context).
 */
export function loadKubeconfig(opts: { path?: string; context?: string } = {}): ClientConfig {
  const path =
    opts.path ?? process.env.KUBECONFIG?.split(":")[0] ?? join(homedir(), ".kube", "config");
  if (!existsSync(path)) throw new ConfigError(`kubeconfig ${path} does not exist`);
  let kc: Kubeconfig;
  try {
    kc = parse(readFileSync(path, "utf8")) as Kubeconfig;
  } catch (err) {
    throw new ConfigError(`kubeconfig ${path} is not valid YAML`, { cause: err });
  }
  const contextName = opts.context ?? kc["current-context"];
  const context = kc.contexts?.find((c) => c.name === contextName)?.context;
  if (!context)
    throw new ConfigError(`kubeconfig ${path}: context ${JSON.stringify(contextName)} not found`);
  const cluster = kc.clusters?.find((c) => c.name === context.cluster)?.cluster;
  if (!cluster || typeof cluster.server !== "string") {
    throw new ConfigError(
      `kubeconfig ${path}: cluster ${JSON.stringify(context.cluster)} not found or has no server`,
    );
  }
  const user = kc.users?.find((u) => u.name === context.user)?.user ?? {};
  const base = join(path, "..");
  const ca = bytes(cluster, "certificate-authority-data", "certificate-authority", base);
  const cert = bytes(user, "client-certificate-data", "client-certificate", base);
  const key = bytes(user, "client-key-data", "client-key", base);
  const tokenFile =
    typeof user.tokenFile === "string" ? readFileSync(user.tokenFile, "utf8").trim() : undefined;
  const token = typeof user.token === "string" ? user.token : tokenFile;
  return {
    server: cluster.server,
    namespace: context.namespace ?? "default",
    ...(ca ? { ca } : {}),
    ...(cert ? { cert } : {}),
    ...(key ? { key } : {}),
    ...(token ? { token } : {}),
    ...(typeof user.tokenFile === "string" && user.token === undefined
      ? { tokenFile: user.tokenFile }
      : {}),
    ...(cluster["insecure-skip-tls-verify"] === true ? { insecureSkipTLSVerify: true } : {}),
  };
}

export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The config a pod gets: its service account token and the cluster CA, the API at KUBERNETES_SERVICE_HOST:PORT. */
export function inClusterConfig(dir: string = SERVICE_ACCOUNT_DIR): ClientConfig {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new ConfigError("not in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set");
  const token = readFileSync(join(dir, "token"), "utf8").trim();
  const ca = readFileSync(join(dir, "ca.crt"));
  const nsFile = join(dir, "namespace");
  const namespace = existsSync(nsFile) ? readFileSync(nsFile, "utf8").trim() : "default";
  const h = host.includes(":") ? `[${host}]` : host;
  return { server: `https://${h}:${port}`, token, tokenFile: join(dir, "token"), ca, namespace };
}
