import type { IncomingMessage, ServerResponse } from "node:http";
import type { ResourceDescriptor } from "../../api/resources.js";
import { KUBERNETES_VERSION } from "../../version.js";
import {
  aggregatedDiscovery,
  apiGroup,
  apiGroupList,
  apiResourceList,
  apiVersions,
} from "../discovery.js";
import type { ApiHooks } from "../hooks.js";
import { negotiateDiscovery, parseAccept } from "../http/negotiate.js";
import type { NonResourceRequest } from "../http/request-info.js";
import { writeObject, writeText } from "../http/respond.js";
import type { ApiServerMetrics } from "../metrics.js";
import { methodNotAllowed, notAcceptable, notFoundPath } from "../status.js";
import { answerHealth, type HealthCheck, type HealthEndpoint } from "./health.js";

export interface NonResourceDeps {
  readonly resources: () => readonly ResourceDescriptor[];
  /** Served outside the store (metrics.k8s.io): listed in discovery only, not in OpenAPI. */
  readonly discoveryOnly?: readonly ResourceDescriptor[];
  /**
   * What the OpenAPI documents describe, when more than `resources`: the
   * same array on every call (documents are cached by its identity).
   */
  readonly openapiResources?: () => readonly ResourceDescriptor[];
  readonly hooks: ApiHooks;
  readonly metrics: ApiServerMetrics;
  readonly serverAddress: string;
  /** The named checks of /healthz, /livez and /readyz (?verbose lists them). */
  readonly health: Readonly<Record<HealthEndpoint, readonly HealthCheck[]>>;
  /** Service account issuer discovery (/.well-known/openid-configuration, /openid/v1/jwks). */
  readonly oidc?: {
    readonly configuration: () => object;
    readonly jwks: () => Promise<object>;
  };
}

/** Paths answered without authentication, as upstream's system:public-info-viewer allows. */
export const PUBLIC_PATHS = [/^\/(healthz|livez|readyz)(\/.*)?$/, /^\/version\/?$/];

export function versionInfo(): object {
  return {
    major: KUBERNETES_VERSION.major,
    minor: KUBERNETES_VERSION.minor,
    gitVersion: KUBERNETES_VERSION.gitVersion,
    gitCommit: "k8ts",
    gitTreeState: "clean",
    buildDate: "2026-11-22T00:00:00Z",
    goVersion: `node${process.versions.node}`,
    compiler: "k8ts",
    platform: `${process.platform}/${process.arch === "x64" ? "amd64" : process.arch}`,
  };
}

const OPENAPI_V3_ETAG_CACHE = "public, immutable";

const OPENAPI_V2_PROTOBUF_ACCEPT = new Set([
  "application/com.github.proto-openapi.spec.v2@v1.0+protobuf",
  "application/com.github.proto-openapi.spec.v2.v1.0+protobuf",
]);

export async function handleNonResource(
  deps: NonResourceDeps,
  info: NonResourceRequest,
  http: { req: IncomingMessage; res: ServerResponse; query: URLSearchParams },
): Promise<void> {
  const { res, req, query } = http;
  const path = info.path.replace(/\/+$/, "") || "/";
  const seg = info.segments;
  if (info.verb !== "get" && info.verb !== "head") throw methodNotAllowed();

  if (path === "/version") return writeObject(res, 200, versionInfo());
  if (deps.oidc && path === "/.well-known/openid-configuration")
    return writeObject(res, 200, deps.oidc.configuration());
  if (deps.oidc && path === "/openid/v1/jwks")
    return writeObject(res, 200, await deps.oidc.jwks(), {
      contentType: "application/jwk-set+json",
    });
  const health = /^\/(healthz|livez|readyz)(\/.*)?$/.exec(path);
  if (health) {
    const endpoint = health[1] as HealthEndpoint;
    const answer = await answerHealth(endpoint, {
      checks: deps.health[endpoint],
      subpath: health[2] ?? "",
      query,
    });
    if (!answer) throw notFoundPath();
    return writeText(res, answer.status, answer.body);
  }
  if (path === "/metrics") {
    const text = await deps.metrics.text();
    res.statusCode = 200;
    res.setHeader("Content-Type", deps.metrics.registry.contentType);
    res.end(text);
    return;
  }
  const resources = deps.resources();
  const discovered = deps.discoveryOnly ? [...resources, ...deps.discoveryOnly] : resources;
  if (path === "/api" || path === "/apis") {
    const fmt = negotiateDiscovery(req.headers.accept);
    if (fmt !== "legacy") {
      const version = fmt === "aggregated-v2" ? "v2" : "v2beta1";
      return writeObject(
        res,
        200,
        aggregatedDiscovery(discovered, { legacy: path === "/api", version }),
        {
          contentType: `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`,
        },
      );
    }
    return writeObject(
      res,
      200,
      path === "/api" ? apiVersions(deps.serverAddress) : apiGroupList(discovered),
    );
  }
  if (seg[0] === "api" && seg.length === 2) {
    const doc = apiResourceList(discovered, "", seg[1] as string);
    if (doc) return writeObject(res, 200, doc);
  }
  if (seg[0] === "apis" && seg.length === 2) {
    const doc = apiGroup(discovered, seg[1] as string);
    if (doc) return writeObject(res, 200, doc);
  }
  if (seg[0] === "apis" && seg.length === 3) {
    const doc = apiResourceList(discovered, seg[1] as string, seg[2] as string);
    if (doc) return writeObject(res, 200, doc);
  }
  const documented = deps.openapiResources?.() ?? resources;
  if (path === "/openapi/v2") {
    const accept = parseAccept(req.headers.accept);
    const wants = (t: string) => accept.length === 0 || accept.some((r) => r.type === t);
    res.setHeader("Vary", "Accept");
    if (wants("application/json") || wants("*/*"))
      return writeObject(res, 200, deps.hooks.openapiV2(documented));
    if (accept.some((r) => OPENAPI_V2_PROTOBUF_ACCEPT.has(r.type))) {
      const body = deps.hooks.openapiV2Protobuf(documented);
      res.statusCode = 200;
      // Go cannot parse the "@" form clients send, so the answer uses ".".
      res.setHeader("Content-Type", "application/com.github.proto-openapi.spec.v2.v1.0+protobuf");
      res.setHeader("Content-Length", body.byteLength);
      res.end(body);
      return;
    }
    throw notAcceptable(
      "only application/json and application/com.github.proto-openapi.spec.v2@v1.0+protobuf are served for /openapi/v2",
    );
  }
  if (path === "/openapi/v3") return writeObject(res, 200, deps.hooks.openapiV3Root(documented));
  if (path.startsWith("/openapi/v3/")) {
    const doc = deps.hooks.openapiV3(documented, path.slice("/openapi/v3/".length));
    if (doc) {
      if (query.has("hash")) res.setHeader("Cache-Control", OPENAPI_V3_ETAG_CACHE);
      return writeObject(res, 200, doc);
    }
  }
  throw notFoundPath();
}
