/**
 * The kubelet's /stats/summary (upstream's stats/v1alpha1 Summary), built
 * from the runtime's container stats and the node's /proc, as metrics-server
 * and `kubectl get --raw /api/v1/nodes/<n>/proxy/stats/summary` read it.
 */
import { readFile } from "node:fs/promises";
import type { Container, ContainerStats } from "../../runtime/cri.js";
import { CONTAINER_NAME, POD_NAME, POD_NAMESPACE, POD_UID } from "../cri/labels.js";

const iso = (ns: bigint) => new Date(Number(ns / 1_000_000n)).toISOString();

interface Usage {
  time: string;
  usageCoreNanoSeconds?: number;
  usageNanoCores?: number;
}
interface Memory {
  time: string;
  workingSetBytes?: number;
  usageBytes?: number;
  rssBytes?: number;
  availableBytes?: number;
}

const n = (v: { value: bigint } | undefined) => (v ? Number(v.value) : undefined);

function cpuOf(s: ContainerStats): Usage | undefined {
  if (!s.cpu) return undefined;
  const core = n(s.cpu.usageCoreNanoSeconds);
  const nano = n(s.cpu.usageNanoCores);
  return {
    time: iso(s.cpu.timestamp),
    ...(core !== undefined ? { usageCoreNanoSeconds: core } : {}),
    ...(nano !== undefined ? { usageNanoCores: nano } : {}),
  };
}

function memoryOf(s: ContainerStats): Memory | undefined {
  if (!s.memory) return undefined;
  const ws = n(s.memory.workingSetBytes);
  const usage = n(s.memory.usageBytes);
  const rss = n(s.memory.rssBytes);
  return {
    time: iso(s.memory.timestamp),
    ...(ws !== undefined ? { workingSetBytes: ws } : {}),
    ...(usage !== undefined ? { usageBytes: usage } : {}),
    ...(rss !== undefined ? { rssBytes: rss } : {}),
  };
}

const add = (a: number | undefined, b: number | undefined) =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

/**
 * Pods and their containers from the runtime's stats, grouped by pod uid.
 * Given the runtime's container list, exited containers are left out and
 * each container's startTime is its creation time, as upstream's CRI stats
 * provider reports them (metrics-server needs both: a dead container's
 * zero usage would otherwise void its whole pod). Pure.
 */
export function podStats(
  stats: readonly ContainerStats[],
  opts: { now: Date; containers?: readonly Container[] },
) {
  const { now } = opts;
  const byId = opts.containers ? new Map(opts.containers.map((c) => [c.id, c])) : undefined;
  const pods = new Map<
    string,
    {
      podRef: { name: string; namespace: string; uid: string };
      containers: object[];
      cpu: Usage;
      memory: Memory;
    }
  >();
  const time = now.toISOString();
  for (const s of stats) {
    const l = s.attributes.labels ?? {};
    const uid = l[POD_UID];
    if (!uid) continue;
    const container = byId?.get(s.attributes.id);
    if (byId && (!container || container.state === "CONTAINER_EXITED")) continue;
    let p = pods.get(uid);
    if (!p) {
      p = {
        podRef: { name: l[POD_NAME] ?? "", namespace: l[POD_NAMESPACE] ?? "", uid },
        containers: [],
        cpu: { time },
        memory: { time },
      };
      pods.set(uid, p);
    }
    const cpu = cpuOf(s);
    const memory = memoryOf(s);
    p.containers.push({
      name: l[CONTAINER_NAME] ?? s.attributes.metadata.name,
      ...(container ? { startTime: iso(container.createdAt) } : {}),
      ...(cpu ? { cpu } : {}),
      ...(memory ? { memory } : {}),
    });
    const cpuSum = add(p.cpu.usageCoreNanoSeconds, cpu?.usageCoreNanoSeconds);
    if (cpuSum !== undefined) p.cpu.usageCoreNanoSeconds = cpuSum;
    const nanoSum = add(p.cpu.usageNanoCores, cpu?.usageNanoCores);
    if (nanoSum !== undefined) p.cpu.usageNanoCores = nanoSum;
    const wsSum = add(p.memory.workingSetBytes, memory?.workingSetBytes);
    if (wsSum !== undefined) p.memory.workingSetBytes = wsSum;
    const usageSum = add(p.memory.usageBytes, memory?.usageBytes);
    if (usageSum !== undefined) p.memory.usageBytes = usageSum;
  }
  return [...pods.values()];
}

/** The node's CPU time (all cores) and memory, from /proc. */
export async function nodeStats(nodeName: string, now: Date) {
  const time = now.toISOString();
  const stat = await readFile("/proc/stat", "utf8").catch(() => "");
  const cpuLine = /^cpu\s+(.*)$/m.exec(stat)?.[1]?.trim().split(/\s+/).map(Number) ?? [];
  // user nice system idle iowait irq softirq steal: busy = all but idle and iowait, in USER_HZ (100/s).
  const busyTicks = cpuLine.reduce((sum, v, i) => (i === 3 || i === 4 ? sum : sum + (v || 0)), 0);
  const meminfo = await readFile("/proc/meminfo", "utf8").catch(() => "");
  const kb = (key: string) =>
    Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(meminfo)?.[1] ?? 0) * 1024;
  const total = kb("MemTotal");
  const available = kb("MemAvailable");
  return {
    nodeName,
    cpu: { time, usageCoreNanoSeconds: busyTicks * 10_000_000 },
    memory: {
      time,
      availableBytes: available,
      usageBytes: total - kb("MemFree"),
      workingSetBytes: total - available,
    },
  };
}
