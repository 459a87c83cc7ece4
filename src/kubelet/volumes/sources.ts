import type {
  ConfigMap,
  PersistentVolume,
  PersistentVolumeClaim,
  Pod,
  Secret,
} from "kubernetes-types/core/v1.js";

/** A service account token request for a projected volume. */
export interface TokenRequest {
  /** The one audience the token is for; absent means the API server's default audiences. */
  audience?: string;
  expirationSeconds: number;
}

/**
 * Where the volume manager reads the API objects volumes are made of (the
 * kubelet's secret/configMap managers, token manager and API client).
 * Getters answer `undefined` for NotFound and throw for any other failure.
 */
export interface VolumeSources {
  secret(namespace: string, name: string): Promise<Secret | undefined>;
  configMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  /** A token for the pod's service account, bound to the pod. */
  serviceAccountToken(pod: Pod, req: TokenRequest): Promise<string>;
  persistentVolumeClaim(
    namespace: string,
    name: string,
  ): Promise<PersistentVolumeClaim | undefined>;
  persistentVolume(name: string): Promise<PersistentVolume | undefined>;
}

export { VolumeError } from "./errors.js";
