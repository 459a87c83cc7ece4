import { randomUUID } from "node:crypto";
import type { KubeObject } from "../api/strategy.js";
import { KeyExistsError } from "../storage/errors.js";
import type { Store } from "../storage/types.js";
import { SYSTEM_PRIORITY_CLASSES } from "./admission/pod-defaults.js";
import { reconcileMasterEndpoints } from "./endpoints-reconciler.js";
import { decodeObject, encodeObject } from "./registry/codec.js";
import { timestamp } from "./registry/context.js";
import { reserveServiceIP } from "./services/allocation.js";

export const SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"];

function namespace(name: string, now: Date): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: {
      name,
      uid: randomUUID(),
      creationTimestamp: timestamp(now),
      labels: { "kubernetes.io/metadata.name": name },
    },
    spec: { finalizers: ["kubernetes"] },
    status: { phase: "Active" },
  };
}

async function existingUid(store: Store, key: string): Promise<string | undefined> {
  const kv = await store.get(key);
  return kv ? (decodeObject(kv).metadata?.uid as string | undefined) : undefined;
}

async function createIfAbsent(store: Store, key: string, obj: KubeObject): Promise<void> {
  try {
    await store.create(key, encodeObject(obj));
  } catch (err) {
    if (!(err instanceof KeyExistsError)) throw err;
  }
}

/**
 * What every cluster has from its first start: the system namespaces and
 * the `kubernetes` Service in `default` pointing at this API server.
 * Idempotent, and safe when several API servers start at once.
 */
export async function bootstrap(
  store: Store,
  opts: { now: Date; serviceIP: string; securePort: number; advertiseAddress: string },
): Promise<void> {
  for (const ns of SYSTEM_NAMESPACES) {
    await createIfAbsent(store, `/registry/namespaces/${ns}`, namespace(ns, opts.now));
  }
  for (const pc of SYSTEM_PRIORITY_CLASSES) {
    await createIfAbsent(store, `/registry/scheduling.k8s.io/priorityclasses/${pc.name}`, {
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: pc.name, uid: randomUUID(), creationTimestamp: timestamp(opts.now) },
      value: pc.value,
      preemptionPolicy: "PreemptLowerPriority",
    });
  }
  const kubernetesUid = await existingUid(store, "/registry/services/default/kubernetes");
  const uid = kubernetesUid ?? randomUUID();
  await reserveServiceIP(store, opts.serviceIP, { namespace: "default", name: "kubernetes", uid });
  await createIfAbsent(store, "/registry/services/default/kubernetes", {
    apiVersion: "v1",
    kind: "Service",
    metadata: {
      name: "kubernetes",
      namespace: "default",
      uid,
      creationTimestamp: timestamp(opts.now),
      labels: { component: "apiserver", provider: "kubernetes" },
    },
    spec: {
      type: "ClusterIP",
      clusterIP: opts.serviceIP,
      clusterIPs: [opts.serviceIP],
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      internalTrafficPolicy: "Cluster",
      sessionAffinity: "None",
      ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: opts.securePort }],
    },
    status: { loadBalancer: {} },
  });
  await reconcileMasterEndpoints(store, {
    address: opts.advertiseAddress,
    port: opts.securePort,
    now: opts.now,
  });
}
