// Test helpers: in-memory VolumeSources and a pod builder.
import type {
  ConfigMap,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  Secret,
} from "kubernetes-types/core/v1.js";
import type { TokenRequest, VolumeSources } from "../../../src/kubelet/volumes/sources.js";

/** VolumeSources backed by maps the test edits; records token requests. */
export class FakeSources implements VolumeSources {
  readonly secrets = new Map<string, Secret>();
  readonly configMaps = new Map<string, ConfigMap>();
  readonly claims = new Map<string, PersistentVolumeClaim>();
  readonly volumes = new Map<string, PersistentVolume>();
  readonly tokenRequests: TokenRequest[] = [];
  token = "token-1";

  async secret(namespace: string, name: string) {
    return this.secrets.get(`${namespace}/${name}`);
  }
  async configMap(namespace: string, name: string) {
    return this.configMaps.get(`${namespace}/${name}`);
  }
  async serviceAccountToken(_pod: Pod, req: TokenRequest) {
    this.tokenRequests.push(req);
    return this.token;
  }
  async persistentVolumeClaim(namespace: string, name: string) {
    return this.claims.get(`${namespace}/${name}`);
  }
  async persistentVolume(name: string) {
    return this.volumes.get(name);
  }

  putSecret(name: string, data: Record<string, string>, namespace = "default"): void {
    const encoded = Object.fromEntries(
      Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString("base64")]),
    );
    this.secrets.set(`${namespace}/${name}`, { metadata: { name, namespace }, data: encoded });
  }
  putConfigMap(name: string, data: Record<string, string>, namespace = "default"): void {
    this.configMaps.set(`${namespace}/${name}`, { metadata: { name, namespace }, data });
  }
}

let counter = 0;

/** A pod in namespace default with one busybox container and the given spec fields. */
export function makePod(
  spec: Partial<NonNullable<Pod["spec"]>> = {},
  meta: Pod["metadata"] = {},
): Pod {
  counter++;
  return {
    metadata: { name: "web", namespace: "default", uid: `uid-${process.pid}-${counter}`, ...meta },
    spec: { containers: [{ name: "app", image: "busybox" }], ...spec },
  };
}
