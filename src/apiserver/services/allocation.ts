import type { KubeObject } from "../../api/strategy.js";
import { goSliceValue } from "../../api/validation/go-value.js";
import { invalid as invalidError } from "../../machinery/field-errors.js";
import { KeyExistsError } from "../../storage/errors.js";
import type { Store } from "../../storage/types.js";
import type { AdmissionAttributes, AdmissionPlugin } from "../admission/chain.js";
import { invalid } from "../status.js";
import {
  type Cidr,
  contains,
  inPortRange,
  type PortRange,
  portRangeText,
  randomNodePort,
  randomServiceIP,
} from "./ranges.js";

export const IP_PREFIX = "/registry/ipallocations/";
export const NODEPORT_PREFIX = "/registry/nodeportallocations/";

interface Owner {
  namespace: string;
  name: string;
  uid: string;
  /** When the record was made (ms): young records may belong to a create still in flight. */
  at?: number;
}

/** How old an allocation must be before the repair loop may free it. */
export const REPAIR_GRACE_MS = 60_000;

interface ServiceSpec {
  type?: string;
  clusterIP?: string;
  clusterIPs?: string[];
  ports?: Array<{ nodePort?: number; port?: number; protocol?: string }>;
}

const enc = new TextEncoder();

function isIPv4(ip: string): boolean {
  const parts = ip.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

/** Records that `uid` holds `ip` (bootstrap reserves the `kubernetes` Service's address this way). */
export async function reserveServiceIP(store: Store, ip: string, owner: Owner): Promise<void> {
  if (!(await reserve(store, IP_PREFIX + ip, owner, false))) {
    throw new Error(`service IP ${ip} is held by another Service`);
  }
}
const dec = new TextDecoder();

function ownerOf(obj: KubeObject): Owner {
  const m = obj.metadata ?? {};
  return { namespace: m.namespace ?? "", name: m.name ?? "", uid: m.uid ?? "" };
}

/**
 * Reserves `key` for `owner` with create-if-absent, so two API servers on
 * one store can never hand out the same IP or port. Re-reserving what the
 * owner already holds succeeds.
 */
async function reserve(store: Store, key: string, owner: Owner, dryRun: boolean): Promise<boolean> {
  const existing = await store.get(key);
  if (existing) {
    const held = JSON.parse(dec.decode(existing.value)) as Owner;
    if (held.uid !== owner.uid) return false;
    // Refresh the record so a repair pass that read it earlier cannot free it.
    if (!dryRun) {
      try {
        await store.update(
          key,
          enc.encode(JSON.stringify({ ...owner, at: Date.now() })),
          existing.modRevision,
        );
      } catch {
        return reserve(store, key, owner, dryRun);
      }
    }
    return true;
  }
  if (dryRun) return true;
  try {
    await store.create(key, enc.encode(JSON.stringify({ ...owner, at: Date.now() })));
    return true;
  } catch (err) {
    if (err instanceof KeyExistsError) return false;
    throw err;
  }
}

function needsClusterIP(spec: ServiceSpec): boolean {
  return spec.type !== "ExternalName" && spec.clusterIP !== "None";
}

function needsNodePorts(spec: ServiceSpec): boolean {
  return spec.type === "NodePort" || spec.type === "LoadBalancer";
}

/**
 * Mutating admission for Services: allocates spec.clusterIP(s) from the
 * service CIDR and spec.ports[].nodePort from the NodePort range, honouring
 * explicit requests and refusing taken or out-of-range ones with 422.
 * Allocations are records in the store; `releaseServiceAllocations` frees
 * them after a delete and `repairAllocations` collects any a failed create
 * left behind.
 */
export function serviceAllocation(
  store: Store,
  opts: { cidr: Cidr; cidrText: string; nodePorts: PortRange; random?: () => number },
): AdmissionPlugin {
  const random = opts.random ?? Math.random;
  const fail = (a: AdmissionAttributes, path: string, value: unknown, detail: string) =>
    invalid({ group: "", kind: "Service" }, a.name, [invalidError(path, value, detail)]);
  return {
    name: "ServiceIPAndNodePortAllocation",
    handles: (a) =>
      a.resource.group === "" &&
      a.resource.plural === "services" &&
      a.subresource === "" &&
      (a.operation === "CREATE" || a.operation === "UPDATE"),
    async admit(a) {
      const obj = a.object as KubeObject;
      const spec = (obj.spec ?? {}) as ServiceSpec;
      const owner = ownerOf(obj);
      if (a.operation === "UPDATE" && a.oldObject) {
        // Updates keep their clusterIP (immutability is validated); only new node ports are allocated.
        const old = (a.oldObject.spec ?? {}) as ServiceSpec;
        if (needsClusterIP(spec) && !spec.clusterIP && old.clusterIP) {
          spec.clusterIP = old.clusterIP;
          spec.clusterIPs = old.clusterIPs ?? [old.clusterIP];
        }
      }
      if (needsClusterIP(spec)) {
        const requested = spec.clusterIP ?? spec.clusterIPs?.[0] ?? "";
        if (requested !== "") {
          if (!isIPv4(requested)) {
            throw fail(
              a,
              "spec.clusterIPs[0]",
              requested,
              "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            );
          }
          if (
            a.operation === "CREATE" ||
            requested !== ((a.oldObject?.spec ?? {}) as ServiceSpec).clusterIP
          ) {
            if (!contains(opts.cidr, requested)) {
              throw fail(
                a,
                "spec.clusterIPs",
                goSliceValue([requested]),
                `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${opts.cidrText}`,
              );
            }
            if (!(await reserve(store, IP_PREFIX + requested, owner, a.dryRun))) {
              throw fail(
                a,
                "spec.clusterIPs",
                goSliceValue([requested]),
                `failed to allocate IP ${requested}: provided IP is already allocated`,
              );
            }
          }
        } else {
          let ip: string | undefined;
          for (let attempt = 0; attempt < 64 && ip === undefined; attempt++) {
            const candidate = randomServiceIP(opts.cidr, random);
            if (await reserve(store, IP_PREFIX + candidate, owner, a.dryRun)) ip = candidate;
          }
          if (ip === undefined) {
            throw fail(
              a,
              "spec.clusterIPs",
              [],
              `failed to allocate IP: range ${opts.cidrText} is full`,
            );
          }
          spec.clusterIP = ip;
        }
        spec.clusterIPs = [spec.clusterIP as string];
      }
      if (needsNodePorts(spec)) {
        const ports = spec.ports ?? [];
        for (let i = 0; i < ports.length; i++) {
          const p = ports[i];
          if (!p) continue;
          const oldPorts = ((a.oldObject?.spec ?? {}) as ServiceSpec).ports ?? [];
          const kept = p.nodePort !== undefined && oldPorts.some((o) => o.nodePort === p.nodePort);
          if (p.nodePort !== undefined && p.nodePort !== 0) {
            if (kept) continue;
            if (!inPortRange(opts.nodePorts, p.nodePort)) {
              throw fail(
                a,
                `spec.ports[${i}].nodePort`,
                p.nodePort,
                `provided port is not in the valid range. The range of valid ports is ${portRangeText(opts.nodePorts)}`,
              );
            }
            if (!(await reserve(store, NODEPORT_PREFIX + p.nodePort, owner, a.dryRun))) {
              throw fail(
                a,
                `spec.ports[${i}].nodePort`,
                p.nodePort,
                "provided port is already allocated",
              );
            }
            continue;
          }
          // A port of the same number already chosen for another protocol shares its nodePort.
          const sibling = ports.find((o, j) => j < i && o.port === p.port && o.nodePort);
          if (sibling?.nodePort) {
            p.nodePort = sibling.nodePort;
            continue;
          }
          let chosen: number | undefined;
          for (let attempt = 0; attempt < 64 && chosen === undefined; attempt++) {
            const candidate = randomNodePort(opts.nodePorts, random);
            if (await reserve(store, NODEPORT_PREFIX + candidate, owner, a.dryRun))
              chosen = candidate;
          }
          if (chosen === undefined) {
            throw fail(
              a,
              `spec.ports[${i}].nodePort`,
              0,
              `range ${portRangeText(opts.nodePorts)} is full`,
            );
          }
          p.nodePort = chosen;
        }
      } else {
        for (const p of spec.ports ?? []) delete p.nodePort;
      }
      obj.spec = spec;
    },
  };
}

/** Frees the allocations a deleted Service held (only those recorded under its uid). */
export async function releaseServiceAllocations(store: Store, svc: KubeObject): Promise<void> {
  const owner = ownerOf(svc);
  const spec = (svc.spec ?? {}) as ServiceSpec;
  const keys = [
    ...(spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : [])).map((ip) => IP_PREFIX + ip),
    ...(spec.ports ?? []).filter((p) => p.nodePort).map((p) => NODEPORT_PREFIX + p.nodePort),
  ];
  for (const key of keys) {
    const kv = await store.get(key);
    if (!kv) continue;
    if ((JSON.parse(dec.decode(kv.value)) as Owner).uid !== owner.uid) continue;
    try {
      await store.delete(key, { expectedModRevision: kv.modRevision });
    } catch {
      // Changed or gone meanwhile: the repair loop settles it.
    }
  }
}

/**
 * Frees allocations whose Service is gone or no longer uses them (a create
 * that failed after allocating, a crash between delete and release).
 * Returns how many were freed.
 */
export async function repairAllocations(store: Store, nowMs: number = Date.now()): Promise<number> {
  const services = await store.list("/registry/services/");
  const inUse = new Map<string, string>();
  for (const kv of services.items) {
    const svc = JSON.parse(dec.decode(kv.value)) as KubeObject;
    const spec = (svc.spec ?? {}) as ServiceSpec;
    const uid = svc.metadata?.uid ?? "";
    for (const ip of spec.clusterIPs ?? (spec.clusterIP ? [spec.clusterIP] : []))
      inUse.set(IP_PREFIX + ip, uid);
    for (const p of spec.ports ?? []) if (p.nodePort) inUse.set(NODEPORT_PREFIX + p.nodePort, uid);
  }
  let freed = 0;
  for (const prefix of [IP_PREFIX, NODEPORT_PREFIX]) {
    const records = await store.list(prefix, { atRevision: services.revision });
    for (const kv of records.items) {
      const owner = JSON.parse(dec.decode(kv.value)) as Owner;
      if (inUse.get(kv.key) === owner.uid) continue;
      // A young record may belong to a create whose Service is not stored yet.
      if (nowMs - (owner.at ?? 0) < REPAIR_GRACE_MS) continue;
      try {
        await store.delete(kv.key, { expectedModRevision: kv.modRevision });
        freed++;
      } catch {
        // reallocated meanwhile
      }
    }
  }
  return freed;
}
