/**
 * The API objects pods refer to (Secrets, ConfigMaps, Services, claims and
 * volumes, service account tokens), read straight from the API server each
 * time they are needed. Upstream's kubelet caches them with watches; reads
 * here are per container start and per volume refresh, which is cheap at
 * single-node scale.
 */
import type {
  ConfigMap,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  Secret,
  Service,
} from "kubernetes-types/core/v1.js";
import type { RestClient } from "../../client/rest/client.js";
import { isNotFound } from "../../client/rest/errors.js";
import { ResourceClient, type ResourceRef } from "../../client/rest/resource.js";
import { TokenManager } from "../token/manager.js";
import { requestServiceAccountToken } from "../token/request.js";

const core = (resource: string, namespaced: boolean): ResourceRef => ({
  group: "",
  version: "v1",
  resource,
  namespaced,
});

async function orUndefined<T>(p: Promise<T>): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

export class ApiObjects {
  private readonly secrets: ResourceClient<Secret>;
  private readonly configMaps: ResourceClient<ConfigMap>;
  private readonly servicesClient: ResourceClient<Service>;
  private readonly claims: ResourceClient<PersistentVolumeClaim>;
  private readonly volumes: ResourceClient<PersistentVolume>;

  constructor(private readonly rest: RestClient) {
    this.secrets = new ResourceClient(rest, core("secrets", true));
    this.configMaps = new ResourceClient(rest, core("configmaps", true));
    this.servicesClient = new ResourceClient(rest, core("services", true));
    this.claims = new ResourceClient(rest, core("persistentvolumeclaims", true));
    this.volumes = new ResourceClient(rest, core("persistentvolumes", false));
  }

  secret = (namespace: string, name: string) => orUndefined(this.secrets.get(name, { namespace }));
  configMap = (namespace: string, name: string) =>
    orUndefined(this.configMaps.get(name, { namespace }));
  persistentVolumeClaim = (namespace: string, name: string) =>
    orUndefined(this.claims.get(name, { namespace }));
  persistentVolume = (name: string) => orUndefined(this.volumes.get(name));

  /** The pod's namespace's services and the `kubernetes` service of `default`. */
  services = async (namespace: string): Promise<Service[]> => {
    const own = (await this.servicesClient.list({ namespace })).items;
    if (namespace === "default") return own;
    const master = await orUndefined(
      this.servicesClient.get("kubernetes", { namespace: "default" }),
    );
    return master ? [...own, master] : own;
  };

  /**
   * A token for the pod's service account bound to the pod: the cached one
   * until it is due for refresh (token/manager.ts), else a new one from
   * serviceaccounts/token (TokenRequest).
   */
  serviceAccountToken = (
    pod: Pod,
    req: { audience?: string; expirationSeconds: number },
  ): Promise<string> =>
    this.tokens.get({
      namespace: pod.metadata?.namespace ?? "default",
      serviceAccount: pod.spec?.serviceAccountName || "default",
      ...(req.audience ? { audience: req.audience } : {}),
      expirationSeconds: req.expirationSeconds,
      pod: { name: pod.metadata?.name ?? "", uid: pod.metadata?.uid ?? "" },
    });

  // Tokens of pods that are gone drop out of the cache when they expire.
  private readonly tokens = new TokenManager({
    request: (key) => requestServiceAccountToken(this.rest, key),
  });
}
