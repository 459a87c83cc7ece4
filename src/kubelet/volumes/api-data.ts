/**
 * Payloads of the API-data volume types: configMap, secret, downwardAPI and
 * projected. Reads the objects through VolumeSources and computes the files;
 * touches no disk. Errors carry upstream's wording (`secret "y" not found`).
 */
import type {
  ConfigMapVolumeSource,
  Pod,
  ProjectedVolumeSource,
  SecretVolumeSource,
  ServiceAccountTokenProjection,
  VolumeProjection,
} from "kubernetes-types/core/v1.js";
import { downwardAPIPayload } from "./downward-api.js";
import { aggregateMessage, messageOf } from "./errors.js";
import { configMapPayload, DEFAULT_MODE, secretPayload } from "./keys.js";
import type { Payload } from "./payload.js";
import type { NodeAllocatable } from "./resource-field.js";
import { fsGroupOf, fsUserFrom } from "./security.js";
import type { VolumeSources } from "./sources.js";

/** Default lifetime of a projected service account token (the API's default). */
export const DEFAULT_TOKEN_EXPIRATION_SECONDS = 3600;

export interface ApiDataContext {
  pod: Pod;
  sources: VolumeSources;
  nodeAllocatable?: NodeAllocatable | undefined;
}

function namespaceOf(pod: Pod): string {
  return pod.metadata?.namespace ?? "default";
}

/** The named secret, an empty one when optional and missing, else `secret "name" not found`. */
async function fetchSecret(ctx: ApiDataContext, name: string, optional: boolean) {
  const secret = await ctx.sources.secret(namespaceOf(ctx.pod), name);
  if (secret !== undefined) return secret;
  if (!optional) throw new Error(`secret "${name}" not found`);
  return { metadata: { name, namespace: namespaceOf(ctx.pod) } };
}

async function fetchConfigMap(ctx: ApiDataContext, name: string, optional: boolean) {
  const configMap = await ctx.sources.configMap(namespaceOf(ctx.pod), name);
  if (configMap !== undefined) return configMap;
  if (!optional) throw new Error(`configmap "${name}" not found`);
  return { metadata: { name, namespace: namespaceOf(ctx.pod) } };
}

export async function secretVolumePayload(
  source: SecretVolumeSource,
  ctx: ApiDataContext,
): Promise<Payload> {
  const name = source.secretName ?? "";
  if (name === "") throw new Error("secretName is required");
  const optional = source.optional === true;
  const secret = await fetchSecret(ctx, name, optional);
  return secretPayload(secret, { items: source.items, defaultMode: source.defaultMode, optional });
}

export async function configMapVolumePayload(
  source: ConfigMapVolumeSource,
  ctx: ApiDataContext,
): Promise<Payload> {
  const name = source.name ?? "";
  if (name === "") throw new Error("configMap name is required");
  const optional = source.optional === true;
  const configMap = await fetchConfigMap(ctx, name, optional);
  return configMapPayload(configMap, {
    items: source.items,
    defaultMode: source.defaultMode,
    optional,
  });
}

async function tokenPayload(
  tp: ServiceAccountTokenProjection,
  ctx: ApiDataContext,
  defaultMode: number,
): Promise<Payload> {
  const fsUser = fsUserFrom(ctx.pod);
  // A token readable by everyone in the pod unless the pod says who should read it.
  const mode = fsUser !== undefined || fsGroupOf(ctx.pod) !== undefined ? 0o600 : defaultMode;
  const expirationSeconds = tp.expirationSeconds ?? DEFAULT_TOKEN_EXPIRATION_SECONDS;
  const audience = tp.audience ?? "";
  const token = await ctx.sources.serviceAccountToken(
    ctx.pod,
    audience === "" ? { expirationSeconds } : { audience, expirationSeconds },
  );
  const data = new Uint8Array(Buffer.from(token, "utf8"));
  return new Map([[tp.path, fsUser === undefined ? { data, mode } : { data, mode, fsUser }]]);
}

async function projectionPayload(
  source: VolumeProjection,
  ctx: ApiDataContext,
  defaultMode: number,
): Promise<Payload> {
  if (source.secret !== undefined) {
    const optional = source.secret.optional === true;
    const secret = await fetchSecret(ctx, source.secret.name ?? "", optional);
    return secretPayload(secret, { items: source.secret.items, defaultMode, optional });
  }
  if (source.configMap !== undefined) {
    const optional = source.configMap.optional === true;
    const configMap = await fetchConfigMap(ctx, source.configMap.name ?? "", optional);
    return configMapPayload(configMap, { items: source.configMap.items, defaultMode, optional });
  }
  if (source.downwardAPI !== undefined) {
    return downwardAPIPayload(source.downwardAPI.items, ctx.pod, {
      defaultMode,
      nodeAllocatable: ctx.nodeAllocatable,
    });
  }
  if (source.serviceAccountToken !== undefined)
    return tokenPayload(source.serviceAccountToken, ctx, defaultMode);
  const kind = Object.keys(source)[0] ?? "empty";
  throw new Error(`${kind} projections are not supported by k8ts`);
}

/** The files of a projected volume: every source's files together; every failing source is reported. */
export async function projectedVolumePayload(
  source: ProjectedVolumeSource,
  ctx: ApiDataContext,
): Promise<Payload> {
  const defaultMode = source.defaultMode ?? DEFAULT_MODE;
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const projection of source.sources ?? []) {
    try {
      for (const [path, file] of await projectionPayload(projection, ctx, defaultMode))
        payload.set(path, file);
    } catch (err) {
      errors.push(messageOf(err));
    }
  }
  if (errors.length > 0) throw new Error(aggregateMessage(errors));
  return payload;
}
