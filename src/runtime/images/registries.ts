import { parse as parseYaml } from "yaml";
import { RegistriesConfigError } from "./errors.js";
import { DEFAULT_DOMAIN, type ImageReference } from "./reference.js";

/**
 * k3s's registries.yaml: per-registry mirror endpoints (tried in order, then
 * the registry itself), optional repository rewrites for the mirrors, and
 * per-host auth and TLS settings.
 */
export interface RegistriesConfig {
  readonly mirrors: Readonly<Record<string, MirrorConfig>>;
  readonly configs: Readonly<Record<string, HostConfig>>;
}

export interface MirrorConfig {
  readonly endpoint: readonly string[];
  /** Regex → replacement on the repository path, applied for mirror endpoints only. */
  readonly rewrite?: Readonly<Record<string, string>>;
}

export interface HostAuth {
  readonly username?: string;
  readonly password?: string;
  /** base64(username:password), as in a Docker config.json. */
  readonly auth?: string;
  readonly identitytoken?: string;
}

export interface HostTls {
  readonly ca_file?: string;
  readonly cert_file?: string;
  readonly key_file?: string;
  readonly insecure_skip_verify?: boolean;
}

export interface HostConfig {
  readonly auth?: HostAuth;
  readonly tls?: HostTls;
}

export const EMPTY_REGISTRIES: RegistriesConfig = { mirrors: {}, configs: {} };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function optString(o: Obj, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") throw new RegistriesConfigError(`${where}.${key} must be a string`);
  return v;
}

/** Parses the YAML text of a registries.yaml; an empty file means no settings. */
export function parseRegistriesYaml(text: string): RegistriesConfig {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new RegistriesConfigError("registries.yaml is not valid YAML", { cause: err });
  }
  return parseRegistriesObject(doc ?? {});
}

export function parseRegistriesObject(doc: unknown): RegistriesConfig {
  if (!isObj(doc)) throw new RegistriesConfigError("registries.yaml must be a mapping");
  const mirrors: Record<string, MirrorConfig> = {};
  const configs: Record<string, HostConfig> = {};
  const m = doc.mirrors ?? {};
  if (!isObj(m)) throw new RegistriesConfigError("mirrors must be a mapping");
  for (const [host, v] of Object.entries(m)) {
    const where = `mirrors[${JSON.stringify(host)}]`;
    if (!isObj(v)) throw new RegistriesConfigError(`${where} must be a mapping`);
    const endpoint = v.endpoint ?? [];
    if (!Array.isArray(endpoint) || endpoint.some((e) => typeof e !== "string")) {
      throw new RegistriesConfigError(`${where}.endpoint must be a list of URLs`);
    }
    for (const e of endpoint as string[]) parseEndpointUrl(e, where);
    let rewrite: Record<string, string> | undefined;
    if (v.rewrite !== undefined && v.rewrite !== null) {
      if (!isObj(v.rewrite)) throw new RegistriesConfigError(`${where}.rewrite must be a mapping`);
      rewrite = {};
      for (const [re, to] of Object.entries(v.rewrite)) {
        if (typeof to !== "string")
          throw new RegistriesConfigError(`${where}.rewrite values must be strings`);
        try {
          new RegExp(re);
        } catch (err) {
          throw new RegistriesConfigError(`${where}.rewrite has an invalid regex ${re}`, {
            cause: err,
          });
        }
        rewrite[re] = to;
      }
    }
    mirrors[host] = { endpoint: endpoint as string[], ...(rewrite ? { rewrite } : {}) };
  }
  const c = doc.configs ?? {};
  if (!isObj(c)) throw new RegistriesConfigError("configs must be a mapping");
  for (const [host, v] of Object.entries(c)) {
    const where = `configs[${JSON.stringify(host)}]`;
    if (!isObj(v)) throw new RegistriesConfigError(`${where} must be a mapping`);
    const out: { auth?: HostAuth; tls?: HostTls } = {};
    if (v.auth !== undefined && v.auth !== null) {
      if (!isObj(v.auth)) throw new RegistriesConfigError(`${where}.auth must be a mapping`);
      const w = `${where}.auth`;
      const fields = ["username", "password", "auth", "identitytoken"] as const;
      out.auth = Object.fromEntries(
        fields.flatMap((f) => {
          const s = optString(v.auth as Obj, f, w);
          return s === undefined ? [] : [[f, s]];
        }),
      );
    }
    if (v.tls !== undefined && v.tls !== null) {
      if (!isObj(v.tls)) throw new RegistriesConfigError(`${where}.tls must be a mapping`);
      const w = `${where}.tls`;
      const t = v.tls;
      const insecure = t.insecure_skip_verify;
      if (insecure !== undefined && typeof insecure !== "boolean") {
        throw new RegistriesConfigError(`${w}.insecure_skip_verify must be a boolean`);
      }
      const tls: { -readonly [K in keyof HostTls]: HostTls[K] } = {};
      for (const f of ["ca_file", "cert_file", "key_file"] as const) {
        const s = optString(t, f, w);
        if (s !== undefined) tls[f] = s;
      }
      if (insecure !== undefined) tls.insecure_skip_verify = insecure;
      out.tls = tls;
    }
    configs[host] = out;
  }
  return { mirrors, configs };
}

/** Where to send requests for one repository: a base URL ending in /v2. */
export interface RegistryEndpoint {
  /** e.g. `http://127.0.0.1:5000/v2`. */
  readonly baseUrl: string;
  /** host[:port] of the endpoint, the key for configs. */
  readonly host: string;
  /** Repository path to use at this endpoint (after rewrites). */
  readonly repository: string;
  /** True for the registry's own (default) endpoint. */
  readonly isDefault: boolean;
  readonly config: HostConfig;
}

/** The registry host that serves docker.io. */
export const DOCKER_HUB_HOST = "registry-1.docker.io";

/** True for 127.0.0.0/8, ::1 and localhost, which are reached over plain HTTP. */
export function isLoopbackHost(hostPort: string): boolean {
  let host = hostPort;
  if (host.startsWith("[")) host = host.slice(1, host.indexOf("]"));
  else if (host.split(":").length === 2) host = host.slice(0, host.indexOf(":"));
  host = host.toLowerCase();
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "::1" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
  );
}

function parseEndpointUrl(raw: string, where: string): URL {
  // Without a scheme: plain HTTP for loopback hosts, HTTPS otherwise.
  const hostPart = raw.split("/")[0] ?? "";
  const defaultScheme = isLoopbackHost(hostPart) ? "http" : "https";
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `${defaultScheme}://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch (err) {
    throw new RegistriesConfigError(`${where}: invalid endpoint ${JSON.stringify(raw)}`, {
      cause: err,
    });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new RegistriesConfigError(`${where}: endpoint ${raw} must be http or https`);
  }
  return url;
}

/** An endpoint URL as the API base: `/v2` is appended unless the path already ends in it. */
export function endpointBase(raw: string): { baseUrl: string; host: string } {
  const url = parseEndpointUrl(raw, "endpoint");
  let path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith("/v2")) path += "/v2";
  return { baseUrl: `${url.protocol}//${url.host}${path}`, host: url.host };
}

function hostConfig(config: RegistriesConfig, host: string): HostConfig {
  return config.configs[host] ?? config.configs["*"] ?? {};
}

function applyRewrite(path: string, rewrite: Readonly<Record<string, string>> | undefined): string {
  for (const [re, to] of Object.entries(rewrite ?? {})) {
    const r = new RegExp(re);
    if (r.test(path)) return path.replace(r, to);
  }
  return path;
}

/**
 * The endpoints to try, in order, for a reference: the mirror endpoints
 * configured for its registry (or for `*` when it has none), then the
 * registry itself. Loopback registries are plain HTTP; everything else is
 * HTTPS unless an endpoint URL says http.
 */
export function endpointsFor(ref: ImageReference, config: RegistriesConfig): RegistryEndpoint[] {
  const mirror = config.mirrors[ref.domain] ?? config.mirrors["*"];
  const out: RegistryEndpoint[] = [];
  for (const raw of mirror?.endpoint ?? []) {
    const { baseUrl, host } = endpointBase(raw);
    out.push({
      baseUrl,
      host,
      repository: applyRewrite(ref.path, mirror?.rewrite),
      isDefault: false,
      config: hostConfig(config, host),
    });
  }
  const defaultHost = ref.domain === DEFAULT_DOMAIN ? DOCKER_HUB_HOST : ref.domain;
  const scheme = isLoopbackHost(defaultHost) ? "http" : "https";
  const defaultBase = `${scheme}://${defaultHost}/v2`;
  if (!out.some((e) => e.baseUrl === defaultBase && e.repository === ref.path)) {
    out.push({
      baseUrl: defaultBase,
      host: defaultHost,
      repository: ref.path,
      isDefault: true,
      config: config.configs[ref.domain] ?? hostConfig(config, defaultHost),
    });
  }
  return out;
}
