import { randomUUID } from "node:crypto";
import type { KubeObject } from "../api/strategy.js";
import { ConflictError, KeyExistsError } from "../storage/errors.js";
import type { Store } from "../storage/types.js";
import { decodeObject, encodeObject } from "./registry/codec.js";
import { timestamp } from "./registry/context.js";

const ENDPOINTS_KEY = "/registry/endpoints/default/kubernetes";
const SLICE_KEY = "/registry/discovery.k8s.io/endpointslices/default/kubernetes";
const SERVICE_KEY = "/registry/services/default/kubernetes";

/** The `kubernetes` Service's Endpoints: this API server's address and port. */
export function masterEndpoints(opts: { address: string; port: number }): KubeObject {
  return {
    apiVersion: "v1",
    kind: "Endpoints",
    metadata: {
      name: "kubernetes",
      namespace: "default",
      // The API server writes the slice itself (below): mirroring must not add another.
      labels: { "endpointslice.kubernetes.io/skip-mirror": "true" },
    },
    subsets: [
      {
        addresses: [{ ip: opts.address }],
        ports: [{ name: "https", port: opts.port, protocol: "TCP" }],
      },
    ],
  };
}

/** Its EndpointSlice, which the service proxy and DNS follow. */
export function masterEndpointSlice(opts: { address: string; port: number }): KubeObject {
  return {
    apiVersion: "discovery.k8s.io/v1",
    kind: "EndpointSlice",
    metadata: {
      name: "kubernetes",
      namespace: "default",
      labels: { "kubernetes.io/service-name": "kubernetes" },
    },
    addressType: "IPv4",
    endpoints: [{ addresses: [opts.address], conditions: { ready: true } }],
    ports: [{ name: "https", port: opts.port, protocol: "TCP" }],
  };
}

/** Writes `wanted` at `key` unless the stored object already says the same (metadata aside). */
async function put(
  store: Store,
  key: string,
  wanted: KubeObject,
  opts: { now: Date; same: (a: KubeObject, b: KubeObject) => boolean },
): Promise<void> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const kv = await store.get(key);
    if (!kv) {
      const obj = {
        ...wanted,
        metadata: {
          ...wanted.metadata,
          uid: randomUUID(),
          creationTimestamp: timestamp(opts.now),
          generation: 1,
        },
      };
      try {
        await store.create(key, encodeObject(obj));
        return;
      } catch (err) {
        if (err instanceof KeyExistsError) continue;
        throw err;
      }
    }
    const current = decodeObject(kv);
    if (opts.same(current, wanted)) return;
    const next: KubeObject = {
      ...current,
      ...wanted,
      metadata: {
        ...current.metadata,
        ...(wanted.metadata?.labels ? { labels: wanted.metadata.labels } : {}),
      },
    };
    try {
      await store.update(key, encodeObject(next), kv.modRevision);
      return;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
}

const json = (v: unknown) => JSON.stringify(v);

/**
 * Upstream's master endpoints reconciler, for one API server: on every
 * start the `kubernetes` Service's Endpoints and EndpointSlice point at
 * this server's advertised address and port, and the Service's
 * targetPort follows the port (a restart on another port must not leave
 * in-cluster clients knocking on the old one). With several API servers
 * the last to start wins (upstream's lease reconciler lists them all).
 */
export async function reconcileMasterEndpoints(
  store: Store,
  opts: { address: string; port: number; now: Date },
): Promise<void> {
  await put(store, ENDPOINTS_KEY, masterEndpoints(opts), {
    now: opts.now,
    same: (a, b) => json(a.subsets) === json(b.subsets),
  });
  await put(store, SLICE_KEY, masterEndpointSlice(opts), {
    now: opts.now,
    same: (a, b) => json(a.endpoints) === json(b.endpoints) && json(a.ports) === json(b.ports),
  });
  const kv = await store.get(SERVICE_KEY);
  if (!kv) return;
  const svc = decodeObject(kv);
  const ports = (svc.spec as { ports?: { name?: string; targetPort?: unknown }[] } | undefined)
    ?.ports;
  const https = ports?.find((p) => p.name === "https");
  if (!https || https.targetPort === opts.port) return;
  https.targetPort = opts.port;
  await store.update(SERVICE_KEY, encodeObject(svc), kv.modRevision).catch((err: unknown) => {
    if (!(err instanceof ConflictError)) throw err;
  });
}
