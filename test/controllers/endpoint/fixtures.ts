// Manifests and kubelet stand-ins shared by the Endpoints and EndpointSlice suites.
import type { ContainerPort, Pod, Service } from "kubernetes-types/core/v1.js";
import type { ControllerHarness } from "../harness.js";

export const READY_AT = "2026-01-01T00:00:00Z";

export function serviceManifest(
  name: string,
  spec: Partial<NonNullable<Service["spec"]>> = {},
): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, labels: { team: "blue" } },
    spec: { selector: { app: name }, ports: [{ port: 80, targetPort: 8080 }], ...spec },
  });
}

export function podManifest(
  name: string,
  o: {
    labels: Record<string, string>;
    ports?: ContainerPort[];
    hostname?: string;
    subdomain?: string;
    nodeName?: string;
    finalizers?: string[];
  },
): string {
  const pod: Pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels: o.labels, ...(o.finalizers ? { finalizers: o.finalizers } : {}) },
    spec: {
      containers: [{ name: "c", image: "nginx", ...(o.ports ? { ports: o.ports } : {}) }],
      ...(o.hostname ? { hostname: o.hostname } : {}),
      ...(o.subdomain ? { subdomain: o.subdomain } : {}),
      ...(o.nodeName ? { nodeName: o.nodeName } : {}),
    },
  };
  return JSON.stringify(pod);
}

/**
 * Plays the kubelet for one pod: Running with an IP, Ready or not (the
 * harness's setPodPhase leaves podIP unset, so the status is written here).
 */
export async function startPod(
  h: ControllerHarness,
  pod: { name: string; ip: string; ready?: boolean; phase?: string },
): Promise<void> {
  const ready = (pod.ready ?? true) ? "True" : "False";
  const status = {
    status: {
      phase: pod.phase ?? "Running",
      podIP: pod.ip,
      podIPs: [{ ip: pod.ip }],
      conditions: [
        { type: "Ready", status: ready, lastTransitionTime: READY_AT },
        { type: "ContainersReady", status: ready, lastTransitionTime: READY_AT },
      ],
    },
  };
  await h.kubectl([
    "patch",
    "pod",
    pod.name,
    "--subresource=status",
    "--type=merge",
    "-p",
    JSON.stringify(status),
  ]);
}

/** Creates a pod and starts it. */
export async function runPod(
  h: ControllerHarness,
  pod: Parameters<typeof podManifest>[1] & { name: string; ip: string; ready?: boolean },
): Promise<void> {
  await h.kubectl(["apply", "-f", "-"], podManifest(pod.name, pod));
  await startPod(h, pod);
}

/** `kubectl get <kind> <name> -o json`, or undefined when it does not exist. */
export async function getJson<T>(
  h: ControllerHarness,
  args: readonly string[],
): Promise<T | undefined> {
  const r = await h.kubectlRaw(["get", ...args, "-o", "json"]);
  return r.code === 0 ? (JSON.parse(r.stdout) as T) : undefined;
}
