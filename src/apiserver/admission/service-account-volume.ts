/**
 * The token volume of the ServiceAccount admission plugin: a projected
 * `kube-api-access-xxxxx` volume (token, cluster CA, namespace) mounted
 * read-only at /var/run/secrets/kubernetes.io/serviceaccount in every
 * container and init container that does not mount something there
 * already. Pure: mutates the pod spec it is given.
 */
import type {
  Container,
  PodSpec,
  ProjectedVolumeSource,
  ServiceAccount,
} from "kubernetes-types/core/v1.js";

export const SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
/** Volume names start with this, then five random characters. */
export const TOKEN_VOLUME_PREFIX = "kube-api-access-";
/** Where the cluster CA is published in every namespace (the root CA publisher's ConfigMap). */
export const ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
/** 3607 s: the "warn only" lifetime the API server extends to a year for pod-bound tokens. */
export const INJECTED_TOKEN_EXPIRATION_SECONDS = 3607;

/** The pod's choice wins, then the service account's; the default is to mount. */
export function shouldAutomount(
  sa: Pick<ServiceAccount, "automountServiceAccountToken">,
  spec: Pick<PodSpec, "automountServiceAccountToken">,
): boolean {
  if (typeof spec.automountServiceAccountToken === "boolean")
    return spec.automountServiceAccountToken;
  if (typeof sa.automountServiceAccountToken === "boolean") return sa.automountServiceAccountToken;
  return true;
}

/** The projected source of the injected volume, every default spelled out as upstream writes it. */
export function tokenVolumeSource(): ProjectedVolumeSource {
  return {
    defaultMode: 0o644,
    sources: [
      {
        serviceAccountToken: {
          path: "token",
          expirationSeconds: INJECTED_TOKEN_EXPIRATION_SECONDS,
        },
      },
      { configMap: { name: ROOT_CA_CONFIG_MAP, items: [{ key: "ca.crt", path: "ca.crt" }] } },
      {
        downwardAPI: {
          items: [
            { path: "namespace", fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" } },
          ],
        },
      },
    ],
  };
}

/** Adds the mount to a container unless it mounts something at the path; true when added. */
function addMount(container: Container, volumeName: string): boolean {
  const mounts = container.volumeMounts ?? [];
  if (mounts.some((m) => m.mountPath === SERVICE_ACCOUNT_MOUNT_PATH)) return false;
  container.volumeMounts = [
    ...mounts,
    { name: volumeName, readOnly: true, mountPath: SERVICE_ACCOUNT_MOUNT_PATH },
  ];
  return true;
}

/**
 * Mounts the token volume into every container and init container (not
 * ephemeral ones) and adds the volume when some container needed it. A
 * volume already named `kube-api-access-*` is reused. `randomName` makes
 * the name of a new one from the prefix.
 */
export function mountServiceAccountToken(
  spec: PodSpec,
  randomName: (prefix: string) => string,
): void {
  const existing = (spec.volumes ?? []).find((v) => v.name.startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName = existing?.name ?? randomName(TOKEN_VOLUME_PREFIX);
  let needed = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])])
    if (addMount(c, volumeName)) needed = true;
  if (needed && !existing)
    spec.volumes = [...(spec.volumes ?? []), { name: volumeName, projected: tokenVolumeSource() }];
}

/** Why a mirror pod may not be created as it is (upstream forbids it any credentials), if it may not. */
export function mirrorPodProblem(spec: PodSpec): string | undefined {
  if (spec.serviceAccountName) return "a mirror pod may not reference service accounts";
  const volumes = spec.volumes ?? [];
  const containers = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...((spec.ephemeralContainers ?? []) as Container[]),
  ];
  const secretVolume = volumes.some(
    (v) => v.secret !== undefined || (v.projected?.sources ?? []).some((s) => s.secret),
  );
  const secretEnv = containers.some(
    (c) =>
      (c.env ?? []).some((e) => e.valueFrom?.secretKeyRef) ||
      (c.envFrom ?? []).some((e) => e.secretRef),
  );
  if (secretVolume || secretEnv || (spec.imagePullSecrets ?? []).length > 0)
    return "a mirror pod may not reference secrets";
  if (volumes.some((v) => (v.projected?.sources ?? []).some((s) => s.serviceAccountToken)))
    return "a mirror pod may not use ServiceAccountToken volume projections";
  return undefined;
}
