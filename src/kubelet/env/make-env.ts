/**
 * A container's environment, as the kubelet's makeEnvironmentVariables builds it:
 *
 *  1. envFrom sources in order (a later source's key replaces an earlier one's);
 *     keys that are not valid variable names after the prefix are skipped and
 *     reported; a missing optional source contributes nothing.
 *  2. env entries in order: a `value` has its `$(VAR)` references expanded
 *     against the variables so far, then the service variables; a `valueFrom`
 *     is resolved (fieldRef, resourceFieldRef, configMapKeyRef, secretKeyRef);
 *     an optional reference that is missing leaves the variable unset.
 *  3. the service link variables not already defined.
 *
 * A name defined again replaces the value but keeps its first position
 * (upstream collects into a map, so it promises no order at all; this one is
 * stable: envFrom keys sorted within each source, then env in declaration
 * order, then service variables).
 */
import type { ConfigMap, Container, Pod, Secret } from "kubernetes-types/core/v1.js";
import { isEnvVarName } from "../../api/validation/names.js";
import type { KeyValue } from "../../runtime/cri.js";
import type { EnvContext, EnvSources } from "./context.js";
import { asEnvError, EnvError, type EnvWarning } from "./errors.js";
import { expand, mappingFor } from "./expand.js";
import { fieldRefValue } from "./field-ref.js";
import { resourceFieldRefValue } from "./resource-ref.js";
import { serviceEnv, visibleServices } from "./service-env.js";

/** The environment and the warnings met while building it. */
export interface EnvResult {
  env: KeyValue[];
  warnings: EnvWarning[];
}

/** Secret data is base64 in the API; the environment gets the decoded bytes as text. */
function secretData(secret: Secret): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {})) {
    out[key] = Buffer.from(value, "base64").toString("utf8");
  }
  return out;
}

function own(data: Readonly<Record<string, string>>, key: string): string | undefined {
  return Object.hasOwn(data, key) ? data[key] : undefined;
}

/** Fetches ConfigMaps and Secrets once per name; NotFound is an error unless optional. */
class ObjectCache {
  private readonly configMaps = new Map<string, Record<string, string>>();
  private readonly secrets = new Map<string, Record<string, string>>();

  constructor(
    private readonly sources: EnvSources,
    private readonly namespace: string,
  ) {}

  async configMap(name: string, optional: boolean): Promise<Record<string, string> | undefined> {
    const cached = this.configMaps.get(name);
    if (cached !== undefined) return cached;
    let cm: ConfigMap | undefined;
    try {
      cm = await this.sources.configMap(this.namespace, name);
    } catch (err) {
      throw asEnvError(err);
    }
    if (cm === undefined) {
      if (optional) return undefined;
      throw new EnvError(`configmap "${name}" not found`);
    }
    const data = { ...(cm.data ?? {}) };
    this.configMaps.set(name, data);
    return data;
  }

  async secret(name: string, optional: boolean): Promise<Record<string, string> | undefined> {
    const cached = this.secrets.get(name);
    if (cached !== undefined) return cached;
    let secret: Secret | undefined;
    try {
      secret = await this.sources.secret(this.namespace, name);
    } catch (err) {
      throw asEnvError(err);
    }
    if (secret === undefined) {
      if (optional) return undefined;
      throw new EnvError(`secret "${name}" not found`);
    }
    const data = secretData(secret);
    this.secrets.set(name, data);
    return data;
  }
}

/** The service link variables a pod in `namespace` sees. */
async function serviceVariables(
  pod: Pod,
  namespace: string,
  sources: EnvSources,
): Promise<Map<string, string>> {
  let services: Awaited<ReturnType<EnvSources["services"]>>;
  try {
    services = await sources.services(namespace);
  } catch (err) {
    throw new EnvError("failed to list services when setting up env vars", { cause: err });
  }
  const links = pod.spec?.enableServiceLinks ?? true;
  const vars = serviceEnv(visibleServices(services, namespace, links));
  return new Map(vars.map((kv) => [kv.key, kv.value]));
}

/** Step 1: the envFrom sources into `env`. */
async function addEnvFrom(
  container: Container,
  namespace: string,
  cache: ObjectCache,
  env: Map<string, string>,
  warnings: EnvWarning[],
): Promise<void> {
  for (const from of container.envFrom ?? []) {
    let data: Record<string, string> | undefined;
    let kind: string;
    let name: string;
    if (from.configMapRef !== undefined) {
      kind = "configMap";
      name = from.configMapRef.name ?? "";
      data = await cache.configMap(name, from.configMapRef.optional === true);
    } else if (from.secretRef !== undefined) {
      kind = "secret";
      name = from.secretRef.name ?? "";
      data = await cache.secret(name, from.secretRef.optional === true);
    } else continue;
    if (data === undefined) continue;
    const invalid: string[] = [];
    for (const key of Object.keys(data).sort()) {
      const k = (from.prefix ?? "") + key;
      if (isEnvVarName(k).length > 0) invalid.push(k);
      else env.set(k, data[key] as string);
    }
    if (invalid.length > 0) {
      warnings.push({
        reason: "InvalidEnvironmentVariableNames",
        message: `Keys [${invalid.sort().join(", ")}] from the EnvFrom ${kind} ${namespace}/${name} were skipped since they are considered invalid environment variable names.`,
      });
    }
  }
}

/** The environment of `container` in `pod`, with warnings for skipped envFrom keys. */
export async function resolveEnvironment(
  pod: Pod,
  container: Container,
  ctx: EnvContext,
  sources: EnvSources,
): Promise<EnvResult> {
  const namespace = pod.metadata?.namespace ?? "";
  const services = await serviceVariables(pod, namespace, sources);
  const cache = new ObjectCache(sources, namespace);
  const env = new Map<string, string>();
  const warnings: EnvWarning[] = [];

  await addEnvFrom(container, namespace, cache, env, warnings);

  const mapping = mappingFor(env, services);
  for (const ev of container.env ?? []) {
    let value = ev.value ?? "";
    const from = ev.valueFrom;
    if (value !== "") {
      value = expand(value, mapping);
    } else if (from?.fieldRef !== undefined) {
      value = fieldRefValue(pod, from.fieldRef, ctx);
    } else if (from?.resourceFieldRef !== undefined) {
      value = resourceFieldRefValue(pod, container, from.resourceFieldRef, ctx.nodeAllocatable);
    } else if (from?.configMapKeyRef !== undefined) {
      const { name = "", key, optional = false } = from.configMapKeyRef;
      const data = await cache.configMap(name, optional);
      if (data === undefined) continue;
      const found = own(data, key);
      if (found === undefined) {
        if (optional) continue;
        throw new EnvError(`couldn't find key ${key} in ConfigMap ${namespace}/${name}`);
      }
      value = found;
    } else if (from?.secretKeyRef !== undefined) {
      const { name = "", key, optional = false } = from.secretKeyRef;
      const data = await cache.secret(name, optional);
      if (data === undefined) continue;
      const found = own(data, key);
      if (found === undefined) {
        if (optional) continue;
        throw new EnvError(`couldn't find key ${key} in Secret ${namespace}/${name}`);
      }
      value = found;
    }
    env.set(ev.name, value);
  }

  const out: KeyValue[] = [...env].map(([key, value]) => ({ key, value }));
  for (const [key, value] of services) if (!env.has(key)) out.push({ key, value });
  return { env: out, warnings };
}

/** The environment of `container` in `pod`; throws EnvError (CreateContainerConfigError). */
export async function makeEnvironment(
  pod: Pod,
  container: Container,
  ctx: EnvContext,
  sources: EnvSources,
): Promise<KeyValue[]> {
  return (await resolveEnvironment(pod, container, ctx, sources)).env;
}
