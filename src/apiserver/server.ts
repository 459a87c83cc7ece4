import { readFileSync, renameSync, writeFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Duplex } from "node:stream";
import { BUILTIN_RESOURCES, type ResourceDescriptor } from "../api/resources.js";
import type { Lease } from "../client/leaderelection/leader-election.js";
import { kubeconfigYaml } from "../pki/kubeconfig.js";
import { openStore } from "../storage/open.js";
import type { Store } from "../storage/types.js";
import { createLogger, type Logger } from "../util/log.js";
import { AdmissionChain, type AdmissionPlugin } from "./admission/chain.js";
import { defaultStorageClass } from "./admission/default-storage-class.js";
import { limitRanger } from "./admission/limit-ranger.js";
import { namespaceLifecycle } from "./admission/namespace-lifecycle.js";
import { defaultTolerationSeconds, priority } from "./admission/pod-defaults.js";
import { rbacEscalation, rbacRuleResolver } from "./admission/rbac-escalation.js";
import { resourceQuota } from "./admission/resource-quota.js";
import { serviceAccountAdmission } from "./admission/service-account.js";
import { parseTokenFile } from "./authn/authenticator.js";
import { actingUser, ImpersonationError } from "./authn/impersonation.js";
import { requestAuthenticator } from "./authn/request-authenticator.js";
import { ensureServiceAccountKey } from "./authn/service-account-key.js";
import { defaultIssuer, ServiceAccountTokenIssuer } from "./authn/service-account-token.js";
import { type AuthorizationMode, type Authorizer, newAuthorizer } from "./authz.js";
import { bootstrap } from "./bootstrap.js";
import { CrdCleanupController } from "./crd/cleanup.js";
import { customResourceHooks } from "./crd/hooks.js";
import { CustomResourceRegistry } from "./crd/registry.js";
import { CrdStatusController } from "./crd/status.js";
import {
  ACCESS_REVIEW_RESOURCES,
  isAccessReview,
  serveAccessReview,
} from "./handlers/access-reviews.js";
import {
  COMPONENT_STATUSES,
  type ComponentStatusDeps,
  isComponentStatusRequest,
  serveComponentStatuses,
} from "./handlers/component-status.js";
import { apiServerHealthChecks, PostStartHooks } from "./handlers/health.js";
import { handleNonResource, PUBLIC_PATHS } from "./handlers/nonresource.js";
import { handleResource } from "./handlers/resource.js";
import { isSelfSubjectReview, serveSelfSubjectReview } from "./handlers/self-subject-review.js";
import type { ApiHooks } from "./hooks.js";
import { parseRequestInfo, type RequestInfo } from "./http/request-info.js";
import { writeStatus } from "./http/respond.js";
import { proxyStream, writeUpgradeError } from "./kubelet/stream-proxy.js";
import { ApiServerMetrics } from "./metrics.js";
import { METRICS_RESOURCES, MetricsApi } from "./metrics-api/index.js";
import { advertiseAddress, clientCert, ensureServingCerts } from "./pki-setup.js";
import { RbacCache } from "./rbac/cache.js";
import { authorizationTarget, forbiddenError } from "./rbac/forbidden.js";
import { RBAC_BOOTSTRAP_HOOK, reconcileBootstrapPolicy } from "./rbac/reconcile.js";
import { decodeValue } from "./registry/codec.js";
import type { RegistryContext, UserInfo } from "./registry/context.js";
import { getObject } from "./registry/get.js";
import { prefixFor } from "./registry/keys.js";
import { firstServiceIP, parseCidr } from "./service-cidr.js";
import {
  releaseServiceAllocations,
  repairAllocations,
  serviceAllocation,
} from "./services/allocation.js";
import { parsePortRange } from "./services/ranges.js";
import { ApiError, badRequest, internalError, unauthorized } from "./status.js";

export interface ApiServerOptions {
  /** Where the store, certificates and kubeconfigs live. */
  readonly dataDir: string;
  /** k3s's --datastore-endpoint (default: embedded SQLite in the data dir). */
  readonly datastoreEndpoint?: string;
  /** Address to listen on (default 0.0.0.0). */
  readonly bindAddress?: string;
  /** HTTPS port (default 6443; 0 picks a free one). */
  readonly securePort?: number;
  /** Service IP range (default 10.43.0.0/16). */
  readonly serviceCidr?: string;
  /** NodePort range (default 30000-32767). */
  readonly serviceNodePortRange?: string;
  readonly clusterDomain?: string;
  /** upstream's --token-auth-file: `token,user,uid,"groups"` lines. */
  readonly tokenAuthFile?: string;
  /** Extra names and addresses for the serving certificate. */
  readonly tlsSANs?: readonly string[];
  /** The `iss` of service account tokens (default https://kubernetes.default.svc.<clusterDomain>). */
  readonly serviceAccountIssuer?: string;
  /** Audiences the server accepts tokens for (upstream --api-audiences; default: the issuer). */
  readonly apiAudiences?: readonly string[];
  /** Upstream's --service-account-extend-token-expiration (default true). */
  readonly serviceAccountExtendTokenExpiration?: boolean;
  /**
   * Admission plugins to leave out, by upstream name (--disable-admission-plugins),
   * e.g. "ServiceAccount" for a server without a controller manager making accounts.
   */
  readonly disableAdmissionPlugins?: readonly string[];
  readonly hooks: ApiHooks;
  readonly log?: Logger;
  /** How often the resource metrics API scrapes kubelets (metrics-server's --metric-resolution, 15 s). */
  readonly metricResolutionMs?: number;
  /** Log every request (default true). */
  readonly logRequests?: boolean;
  /**
   * Upstream's --authorization-mode (default RBAC; members of system:masters
   * are always allowed). AlwaysAllow lets every authenticated request through.
   */
  readonly authorizationMode?: AuthorizationMode;
}

export interface RunningApiServer {
  readonly url: string;
  readonly port: number;
  readonly adminKubeconfig: string;
  readonly caCertPath: string;
  readonly store: Store;
  close(): Promise<void>;
}

/** Starts the API server: certificates, store, bootstrap objects, HTTPS. */
export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const log = opts.log ?? createLogger("apiserver");
  const clusterDomain = opts.clusterDomain ?? "cluster.local";
  const serviceCidr = opts.serviceCidr ?? "10.43.0.0/16";
  const serviceIP = firstServiceIP(serviceCidr);
  const certs = await ensureServingCerts({
    dataDir: opts.dataDir,
    clusterDomain,
    serviceIP,
    ...(opts.tlsSANs ? { extraSANs: opts.tlsSANs } : {}),
  });
  const saKey = await ensureServiceAccountKey({ dataDir: opts.dataDir });
  const tokenIssuer = new ServiceAccountTokenIssuer({
    key: saKey,
    issuer: opts.serviceAccountIssuer ?? defaultIssuer(clusterDomain),
    ...(opts.apiAudiences ? { apiAudiences: opts.apiAudiences } : {}),
  });
  const store = openStore({
    dataDir: opts.dataDir,
    ...(opts.datastoreEndpoint ? { endpoint: opts.datastoreEndpoint } : {}),
  });

  // Custom resources: every served version of each established CRD joins
  // the built-ins (routing, discovery, OpenAPI, lookups); the naming/
  // establishing controllers and the CRD finalizer run alongside.
  const customResources = new CustomResourceRegistry(store, { log });
  const crdStatus = new CrdStatusController(store, customResources, {
    log,
    builtins: BUILTIN_RESOURCES,
  });
  const crdCleanup = new CrdCleanupController(store, customResources, {
    log,
    builtins: BUILTIN_RESOURCES,
    // Custom resources go through the generic delete (finalizers, watch events); ctx is defined below.
    registryContext: () => ctx,
  });
  // Rebuilt (new arrays: OpenAPI documents are cached by array identity) whenever the CRDs change.
  let resources: readonly ResourceDescriptor[] = BUILTIN_RESOURCES;
  let openapiResources: readonly ResourceDescriptor[] = [];
  const byGVR = new Map<string, ResourceDescriptor>();
  const index = () => {
    resources = [...BUILTIN_RESOURCES, ...customResources.descriptors()];
    // Upstream's OpenAPI also describes the read-only v1 ComponentStatus
    // (`kubectl explain componentstatuses`), served outside the registry.
    openapiResources = [...resources, COMPONENT_STATUSES, ...ACCESS_REVIEW_RESOURCES];
    byGVR.clear();
    // Built-ins first: a custom resource never shadows one.
    for (const d of resources) {
      const key = `${d.group}/${d.version}/${d.plural}`;
      if (!byGVR.has(key)) byGVR.set(key, d);
    }
  };
  index();
  customResources.onChange(index);
  crdStatus.start();
  crdCleanup.start();
  await customResources.start();

  // Custom resources' strategies (schema validation, pruning, defaulting), printer
  // columns and OpenAPI come from their CRDs; every other kind from opts.hooks.
  const hooks = memoizeOpenAPI(customResourceHooks(opts.hooks, customResources));
  const nodePorts = parsePortRange(opts.serviceNodePortRange ?? "30000-32767");
  // What the API server shows kubelets it proxies to (logs); re-issued each start.
  const kubeletClient = await clientCert(certs.ca, "kube-apiserver-kubelet-client", [
    "system:masters",
  ]);
  const ctx: RegistryContext = {
    kubeletClient,
    store,
    hooks,
    admission: new AdmissionChain([
      ...enabledPlugins(
        [
          namespaceLifecycle(store),
          serviceAccountAdmission(store),
          defaultTolerationSeconds,
          limitRanger(store),
          priority(store),
          defaultStorageClass(store),
          resourceQuota(store, (group, plural) =>
            resources.find((d) => d.group === group && d.plural === plural),
          ),
          serviceAllocation(store, {
            cidr: parseCidr(serviceCidr),
            cidrText: serviceCidr,
            nodePorts,
          }),
        ],
        opts.disableAdmissionPlugins ?? [],
      ),
      // Upstream's RBAC storage refuses privilege escalation (not a plugin there: never disabled).
      rbacEscalation(store, {
        authorizer: () => authz,
        ruleResolver: () => rbacRuleResolver(rbacObjects),
      }),
    ]),
    serviceAccountTokens: {
      issuer: tokenIssuer,
      extendExpiration: opts.serviceAccountExtendTokenExpiration ?? true,
    },
    now: () => new Date(),
    resources: {
      byGroupResource: (group, plural) =>
        resources.find((d) => d.group === group && d.plural === plural),
    },
    onDeleted: async (d, obj) => {
      if (d.group === "" && d.plural === "services") await releaseServiceAllocations(store, obj);
    },
  };
  // metrics.k8s.io: what metrics-server would serve, scraped from the kubelets in process.
  const metricsApi = new MetricsApi({
    store,
    hooks,
    kubeletClient,
    log,
    ...(opts.metricResolutionMs !== undefined ? { resolutionMs: opts.metricResolutionMs } : {}),
  });
  const repairTimer = setInterval(() => {
    repairAllocations(store).catch((err: unknown) =>
      log.warn("allocation repair failed", { err: String(err) }),
    );
  }, 180_000);
  repairTimer.unref();

  const authenticate = requestAuthenticator({
    store,
    issuer: tokenIssuer,
    ...(opts.tokenAuthFile
      ? { tokens: parseTokenFile(readFileSync(opts.tokenAuthFile, "utf8")) }
      : {}),
    log,
  });
  const authorizationMode = opts.authorizationMode ?? "RBAC";
  // RBAC reads roles and bindings from a watched cache: nothing is authorized before its first list.
  const rbacObjects = authorizationMode === "RBAC" ? new RbacCache(store, { log }) : undefined;
  await rbacObjects?.start();
  const authz: Authorizer = newAuthorizer(authorizationMode, rbacObjects);
  /** The user a request acts as: its own, or whom its Impersonate-* headers name once allowed. */
  const impersonate = async (requestor: UserInfo, req: IncomingMessage): Promise<UserInfo> => {
    try {
      return await actingUser(requestor, req.headers, authz);
    } catch (error) {
      if (error instanceof ImpersonationError) throw internalError(error.message);
      throw error;
    }
  };
  const metrics = new ApiServerMetrics();
  const logRequests = opts.logRequests ?? true;
  const advertise = advertiseAddress();
  const postStart = new PostStartHooks(BOOTSTRAP_HOOKS);
  let shuttingDown = false;
  const componentStatusDeps: ComponentStatusDeps = {
    lease: async (name) => {
      const kv = await store.get(`${prefixFor(LEASES_RESOURCE, "kube-system")}${name}`);
      return kv ? (decodeValue(kv.value) as Lease) : undefined;
    },
    storePing: () => store.currentRevision(),
    hooks,
    now: () => Date.now(),
  };
  const health = apiServerHealthChecks({
    storePing: () => store.currentRevision(),
    hooks: postStart,
    shuttingDown: () => shuttingDown,
  });

  let serverAddress = "";
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    let info: RequestInfo | undefined;
    let user: UserInfo | undefined;
    let authenticated = false;
    try {
      const url = parseUrl(req.url);
      info = parseRequestInfo(req.method ?? "GET", url.pathname, url.searchParams);
      user = await authenticate(req);
      if (!user && !PUBLIC_PATHS.some((re) => re.test(url.pathname))) throw unauthorized();
      if (user) user = await impersonate(user, req);
      const effectiveUser = user ?? {
        name: "system:anonymous",
        groups: ["system:unauthenticated"],
      };
      // Unauthenticated requests only reach the public paths, always allowed as before RBAC.
      if (user) {
        const target = authorizationTarget(info, req.method ?? "GET", url.searchParams);
        const decision = await authz.authorize(user, target);
        if (!decision.allowed) throw forbiddenError(user, target, decision.reason ?? "");
      }
      authenticated = user !== undefined;
      if (info.isResource && isSelfSubjectReview(info)) {
        await serveSelfSubjectReview(info, { req, res, user: effectiveUser });
      } else if (info.isResource && isAccessReview(info)) {
        await serveAccessReview({ authz, rbacObjects }, info, { req, res, user: effectiveUser });
      } else if (info.isResource && MetricsApi.handles(info)) {
        await metricsApi.serve(info, { req, res, query: url.searchParams });
      } else if (info.isResource && isComponentStatusRequest(info)) {
        await serveComponentStatuses(componentStatusDeps, info, {
          req,
          res,
          query: url.searchParams,
        });
      } else if (info.isResource) {
        await handleResource({ ctx, lookup: (g, v, r) => byGVR.get(`${g}/${v}/${r}`) }, info, {
          req,
          res,
          query: url.searchParams,
          user: effectiveUser,
        });
      } else {
        await handleNonResource(
          {
            resources: () => resources,
            discoveryOnly: [...METRICS_RESOURCES, COMPONENT_STATUSES, ...ACCESS_REVIEW_RESOURCES],
            openapiResources: () => openapiResources,
            hooks,
            metrics,
            serverAddress,
            oidc: {
              configuration: () => tokenIssuer.discovery(`https://${serverAddress}/openid/v1/jwks`),
              jwks: () => tokenIssuer.jwks(),
            },
            health,
          },
          info,
          { req, res, query: url.searchParams },
        );
      }
    } catch (err) {
      if (err instanceof ApiError) {
        writeStatus(res, err);
      } else {
        log.error("request failed", {
          uri: req.url,
          err: err instanceof Error ? err.stack : String(err),
        });
        if (!res.headersSent)
          writeStatus(res, internalError(err instanceof Error ? err.message : String(err)));
        else res.destroy();
      }
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const code = res.statusCode;
      // Only authenticated requests for known resources get their own series,
      // so no client can grow the metric label space.
      if (
        info?.isResource &&
        authenticated &&
        byGVR.has(`${info.group}/${info.version}/${info.resource}`)
      ) {
        metrics.observe({
          verb: info.verb,
          group: info.group,
          version: info.version,
          resource: info.resource,
          subresource: info.subresource,
          scope: info.namespace ? "namespace" : info.name ? "resource" : "cluster",
          code,
          seconds,
        });
      }
      if (logRequests) {
        log.info("HTTP", {
          verb: info?.isResource ? info.verb.toUpperCase() : (req.method ?? ""),
          URI: req.url,
          user: user?.name ?? "system:anonymous",
          latency: `${(seconds * 1000).toFixed(3)}ms`,
          resp: code,
        });
      }
    }
  };

  const server: Server = createServer(
    {
      key: certs.serving.key,
      cert: certs.serving.cert,
      ca: certs.ca.cert,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => {
      handler(req, res).catch((err: unknown) => {
        log.error("request handler failed", { err: String(err) });
        if (!res.headersSent) writeStatus(res, internalError("request handling failed"));
        else res.destroy();
      });
    },
  );
  // Streaming subresources (exec, attach, port-forward) arrive as upgrades.
  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = parseUrl(req.url);
    void (async () => {
      const info = parseRequestInfo(req.method ?? "GET", url.pathname, url.searchParams);
      const requestor = await authenticate(req);
      if (!requestor) throw unauthorized();
      const user = await impersonate(requestor, req);
      const target = authorizationTarget(info, req.method ?? "GET", url.searchParams);
      const decision = await authz.authorize(user, target);
      if (!decision.allowed) throw forbiddenError(user, target, decision.reason ?? "");
      if (
        !info.isResource ||
        info.group !== "" ||
        info.resource !== "pods" ||
        !["exec", "attach", "portforward"].includes(info.subresource)
      )
        throw badRequest(`${url.pathname} cannot be upgraded`);
      const pods = byGVR.get("/v1/pods");
      const nodes = byGVR.get("/v1/nodes");
      if (!pods || !nodes) throw internalError("no pods or nodes resource");
      const scopeOf = (d: ResourceDescriptor, kind: string) => ({
        d,
        strategy: hooks.strategyFor("", "v1", kind),
      });
      if (logRequests) log.info("HTTP", { verb: "UPGRADE", URI: req.url, user: user.name });
      await proxyStream({
        req,
        socket,
        head,
        verb: info.verb,
        subresource: info.subresource,
        pod: await getObject(ctx, scopeOf(pods, "Pod"), {
          namespace: info.namespace,
          name: info.name,
        }),
        node: (name) => getObject(ctx, scopeOf(nodes, "Node"), { namespace: "", name }),
        query: url.searchParams,
        client: ctx.kubeletClient,
      });
    })().catch((err: unknown) => writeUpgradeError(socket, err));
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  // Watches are long-lived: no per-request timeout.
  server.requestTimeout = 0;
  const bind = opts.bindAddress ?? "0.0.0.0";
  // What the CLI promises is on disk before anything answers: certificates
  // (above) and the admin kubeconfig. With a fixed port it is written before
  // listening; a port chosen by the kernel (0) is only known after, and the
  // kubeconfig is written before the post-start hooks finish, so /readyz
  // fails until it is there either way.
  const admin = await clientCert(certs.ca, "admin", ["system:masters"]);
  const adminKubeconfig = join(opts.dataDir, "admin.kubeconfig");
  const writeAdminKubeconfig = (port: number) =>
    writeFileAtomic(
      adminKubeconfig,
      kubeconfigYaml({
        server: `https://127.0.0.1:${port}`,
        caCert: certs.ca.cert,
        user: "admin",
        clientCert: admin.cert,
        clientKey: admin.key,
      }),
      0o600,
    );
  const requestedPort = opts.securePort ?? 6443;
  if (requestedPort !== 0) writeAdminKubeconfig(requestedPort);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(requestedPort, bind, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  if (requestedPort === 0) writeAdminKubeconfig(port);
  serverAddress = `${advertise}:${port}`;
  const url = `https://127.0.0.1:${port}`;

  await bootstrap(store, {
    now: new Date(),
    serviceIP,
    securePort: port,
    advertiseAddress: advertise,
  });
  await reconcileBootstrapPolicy(store, { now: new Date() });
  for (const h of BOOTSTRAP_HOOKS) postStart.done(h);

  log.info("serving securely", { address: `${bind}:${port}`, kubeconfig: adminKubeconfig });
  metricsApi.start();

  return {
    url,
    port,
    adminKubeconfig,
    caCertPath: certs.caPath,
    store,
    async close() {
      shuttingDown = true;
      clearInterval(repairTimer);
      await metricsApi.stop();
      await rbacObjects?.stop();
      await crdCleanup.stop();
      await crdStatus.stop();
      await customResources.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await store.close();
    },
  };
}

/** Writes `path` whole or not at all: a reader never sees half a file. */
function writeFileAtomic(path: string, data: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data, { mode });
  renameSync(tmp, path);
}

const LEASES_RESOURCE = { group: "coordination.k8s.io", plural: "leases" };

/** What bootstrap() and the RBAC reconciliation do: upstream's names for the same post-start steps. */
const BOOTSTRAP_HOOKS = [
  "bootstrap-controller",
  RBAC_BOOTSTRAP_HOOK,
  "scheduling/bootstrap-system-priority-classes",
];

/** The plugins left after removing those named in `disabled`; an unknown name is an error. */
function enabledPlugins(
  plugins: readonly AdmissionPlugin[],
  disabled: readonly string[],
): AdmissionPlugin[] {
  for (const name of disabled)
    if (!plugins.some((p) => p.name === name))
      throw new Error(
        `unknown admission plugin "${name}" (known: ${plugins.map((p) => p.name).join(", ")})`,
      );
  return plugins.filter((p) => !disabled.includes(p.name));
}

/** The request URL, or 400 for one that cannot be parsed or decoded. */
function parseUrl(raw: string | undefined): URL {
  try {
    const url = new URL(raw ?? "/", "https://apiserver");
    decodeURIComponent(url.pathname);
    return url;
  } catch {
    throw badRequest(`malformed request URI: ${JSON.stringify(raw ?? "")}`);
  }
}

/** OpenAPI documents are large and change only with the resource set: build each once. */
function memoizeOpenAPI(hooks: ApiHooks): ApiHooks {
  const cache = new WeakMap<readonly ResourceDescriptor[], Map<string, object | undefined>>();
  const cached = (
    resources: readonly ResourceDescriptor[],
    key: string,
    build: () => object | undefined,
  ) => {
    let docs = cache.get(resources);
    if (!docs) {
      docs = new Map();
      cache.set(resources, docs);
    }
    if (docs.has(key)) return docs.get(key);
    const built = build();
    // Only real documents are kept: unknown paths must not grow the cache.
    if (built !== undefined) docs.set(key, built);
    return built;
  };
  return {
    ...hooks,
    openapiV2: (resources) => cached(resources, "v2", () => hooks.openapiV2(resources)) as object,
    openapiV2Protobuf: (resources) =>
      cached(resources, "v2.pb", () => hooks.openapiV2Protobuf(resources)) as Uint8Array,
    openapiV3Root: (resources) =>
      cached(resources, "v3", () => hooks.openapiV3Root(resources)) as object,
    openapiV3: (resources, path) =>
      cached(resources, `v3/${path}`, () => hooks.openapiV3(resources, path)),
  };
}
