/**
 * Builds the kubelet's subsystems from their modules: volumes, environment,
 * DNS and /etc/hosts, lifecycle hooks and probes, all reading API objects
 * through ApiObjects. Kept apart from kubelet.ts so tests can swap parts.
 */
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import type { RuntimeService } from "../runtime/cri.js";
import {
  hostNetworkHostsFile,
  hostsFile,
  parseResolvConf,
  podDnsConfig,
  podHostname,
} from "./dns/index.js";
import { expandCommand, makeEnvironment } from "./env/index.js";
import type { DepsContext, KubeletOptions } from "./kubelet.js";
import { createHookRunner } from "./lifecycle/index.js";
import { ProbeManager } from "./prober/index.js";
import { makeMounts, VolumeManager } from "./volumes/index.js";

export interface WiringOptions {
  readonly runtime: RuntimeService;
  readonly clusterDNS: string[];
  readonly clusterDomain: string;
  /** The host's resolv.conf text (for dnsPolicy Default). */
  readonly hostResolvConf: string;
  /** The host's /etc/hosts text (for hostNetwork pods). */
  readonly hostEtcHosts: string;
}

export function standardDeps(w: WiringOptions): KubeletOptions["makeDeps"] {
  return (ctx: DepsContext) => {
    const allocatable = {
      cpu: String(ctx.machine.cpus),
      memory: String(ctx.machine.memoryBytes),
      "ephemeral-storage": String(ctx.machine.ephemeralStorageBytes),
    };
    const volumeManager = new VolumeManager({
      podsDir: ctx.podsDir,
      sources: ctx.objects,
      nodeAllocatable: allocatable,
    });
    let host: ReturnType<typeof parseResolvConf> | undefined;
    try {
      host = w.hostResolvConf ? parseResolvConf(w.hostResolvConf) : undefined;
    } catch {
      host = undefined;
    }
    const probes = new ProbeManager({
      runtime: w.runtime,
      onChange: (uid) => ctx.resync(uid),
      onEvent: (e) => ctx.event(e.pod, e.type, e.reason, e.message),
    });
    const hooks = createHookRunner(w.runtime);
    return {
      volumes: {
        setUpPod: (pod: Pod) => volumeManager.setUpPod(pod),
        tearDownPod: (uid: string) => volumeManager.tearDownPod(uid),
        makeMounts: (pod: Pod, c: Container, paths: Map<string, string>) =>
          makeMounts(pod, c, paths),
      },
      env: {
        make: (pod, c, podIPs) =>
          makeEnvironment(
            pod,
            c,
            {
              nodeName: pod.spec?.nodeName ?? "",
              ...(podIPs[0] ? { podIP: podIPs[0], podIPs: [...podIPs] } : {}),
              ...(ctx.machine.internalIPs[0]
                ? { hostIP: ctx.machine.internalIPs[0], hostIPs: ctx.machine.internalIPs }
                : {}),
              nodeAllocatable: allocatable,
            },
            ctx.objects,
          ),
        expand: expandCommand,
      },
      dns: {
        dnsConfig: async (pod) =>
          podDnsConfig(pod, {
            clusterDNS: w.clusterDNS,
            clusterDomain: w.clusterDomain,
            host,
            nodeIPs: ctx.machine.internalIPs,
          }),
        hostname: (pod) => podHostname(pod, w.clusterDomain),
        hostsFile: async (pod, podIPs) =>
          pod.spec?.hostNetwork
            ? hostNetworkHostsFile(w.hostEtcHosts, pod.spec.hostAliases)
            : hostsFile(pod, podIPs, w.clusterDomain),
      },
      hooks,
      probes,
    };
  };
}
