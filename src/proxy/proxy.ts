/**
 * kube-proxy in iptables mode. Informers on Services, EndpointSlices and
 * this node feed a rate-limited sync that renders the whole ruleset from
 * the caches and applies it with one `iptables-restore --noflush`
 * (plus stale-chain deletion in the same transaction): in full on start,
 * after a failure and hourly, otherwise only the top-level chains and the
 * service chains that changed (RuleSync). It then clears UDP conntrack
 * entries that point at endpoints that are gone.
 *
 * Usable in-process (the all-in-one server embeds it) or as `k8ts proxy`.
 */
import type { Node, Service } from "kubernetes-types/core/v1.js";
import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { SharedInformerFactory } from "../client/informer/factory.js";
import type { Informer } from "../client/informer/informer.js";
import type { RestClient } from "../client/rest/client.js";
import type { ResourceRef } from "../client/rest/resource.js";
import type { Clock } from "../client/util/clock.js";
import { createLogger, type Logger } from "../util/log.js";
import { hasUdpService, staleFlowDeletions } from "./conntrack.js";
import { type CommandRunner, hostRunner, netnsRunner } from "./exec.js";
import { Conntrack, prepareHost } from "./host.js";
import { InformedSync } from "./informed-sync.js";
import { Iptables } from "./iptables.js";
import { FIREWALL_JUMPS, JUMPS } from "./jumps.js";
import { RuleSync } from "./rule-sync.js";
import { buildRuleset, type RulesConfig, type RulesInput } from "./rules.js";
import { nodeFingerprint, nodeIPs, rulesInput, serviceFingerprint } from "./state.js";
import { SyncRunner } from "./sync-runner.js";

const SERVICES: ResourceRef = { group: "", version: "v1", resource: "services", namespaced: true };
const ENDPOINT_SLICES: ResourceRef = {
  group: "discovery.k8s.io",
  version: "v1",
  resource: "endpointslices",
  namespaced: true,
};
const NODES: ResourceRef = { group: "", version: "v1", resource: "nodes", namespaced: false };

/**
 * Objects another proxy implementation owns (service-proxy-name) and
 * slices of headless services (no cluster IP to program) are not watched,
 * as upstream.
 */
const PROXIED = "!service.kubernetes.io/service-proxy-name,!service.kubernetes.io/headless";

export interface ProxyOptions {
  /** This node's name (--hostname-override): endpoints whose nodeName matches are local. */
  readonly hostname: string;
  /** The pod network; traffic to cluster IPs from outside it is masqueraded (default: none). */
  readonly clusterCIDR?: string;
  /** Run every command inside this named network namespace (tests; default: the host). */
  readonly netns?: string;
  /** Runs iptables, conntrack and sysctl (default: on the host, or in `netns`). */
  readonly runner?: CommandRunner;
  /** Least time between syncs (default 1000 ms, upstream's --iptables-min-sync-period). */
  readonly minSyncPeriodMs?: number;
  /** A sync at least this often (default 30000 ms, upstream's --iptables-sync-period). */
  readonly syncPeriodMs?: number;
  /** A full sync (every chain rewritten, jumps checked) at least this often (default 1 h, as upstream). */
  readonly fullSyncPeriodMs?: number;
  /** Masquerade all traffic to cluster IPs (default false). */
  readonly masqueradeAll?: boolean;
  /** Bit of the packet mark asking for SNAT (default 14: 0x4000). */
  readonly masqueradeBit?: number;
  /** NodePorts answer on 127.0.0.1 (default true; sets route_localnet). */
  readonly localhostNodePorts?: boolean;
  /** Set ip_forward, route_localnet and bridge-nf-call-iptables on start (default true). */
  readonly configureHost?: boolean;
  readonly log?: Logger;
  readonly clock?: Clock;
}

export class KubeProxy {
  private readonly log: Logger;
  private readonly runner: CommandRunner;
  private readonly iptables: Iptables;
  private readonly rules: RuleSync;
  private readonly conntrack: Conntrack;
  private readonly services: Informer<Service>;
  private readonly slices: Informer<EndpointSlice>;
  private readonly nodes: Informer<Node>;
  private readonly syncer: SyncRunner;
  private readonly loop: InformedSync;
  private readonly localhostNodePorts: boolean;
  private readonly mark: string;
  private syncs = 0;
  private fullSyncs = 0;
  private attempted: (() => void) | undefined;
  private startup: Promise<void> | undefined;

  constructor(
    rest: RestClient,
    private readonly opts: ProxyOptions,
  ) {
    this.log = opts.log ?? createLogger("proxy");
    this.runner = opts.runner ?? (opts.netns ? netnsRunner(opts.netns) : hostRunner);
    this.iptables = new Iptables(this.runner);
    this.conntrack = new Conntrack(this.runner);
    this.localhostNodePorts = opts.localhostNodePorts ?? true;
    this.mark = `0x${(1 << (opts.masqueradeBit ?? 14)).toString(16)}`;
    this.rules = new RuleSync(this.iptables, {
      jumps: this.localhostNodePorts ? [...JUMPS, ...FIREWALL_JUMPS] : JUMPS,
      ...(opts.fullSyncPeriodMs !== undefined ? { fullSyncPeriodMs: opts.fullSyncPeriodMs } : {}),
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    const factory = new SharedInformerFactory(rest, opts.clock ? { clock: opts.clock } : {});
    this.services = factory.informerFor<Service>(SERVICES, { labelSelector: PROXIED });
    this.slices = factory.informerFor<EndpointSlice>(ENDPOINT_SLICES, {
      labelSelector: PROXIED,
    });
    this.nodes = factory.informerFor<Node>(NODES, {
      fieldSelector: `metadata.name=${opts.hostname}`,
    });
    const attempt = async () => {
      try {
        await this.sync();
      } finally {
        this.attempted?.();
      }
    };
    this.syncer = new SyncRunner(attempt, {
      minIntervalMs: opts.minSyncPeriodMs ?? 1000,
      maxIntervalMs: opts.syncPeriodMs ?? 30_000,
      ...(opts.clock ? { clock: opts.clock } : {}),
      onError: (err) => this.log.error("sync failed; will retry", { error: String(err) }),
    });
    this.loop = new InformedSync(factory, this.syncer);
    this.watch();
  }

  /** Syncs completed since start. */
  get syncCount(): number {
    return this.syncs;
  }

  /** Of those, the full ones (the rest wrote only what changed). */
  get fullSyncCount(): number {
    return this.fullSyncs;
  }

  /**
   * Prepares the kernel, fills the caches and starts syncing; resolves
   * after the first sync attempt (a failed one is logged and retried).
   */
  start(): Promise<void> {
    this.startup ??= this.startOnce();
    return this.startup;
  }

  private async startOnce(): Promise<void> {
    this.rules.invalidate();
    if (this.opts.configureHost ?? true)
      await prepareHost(this.runner, {
        localhostNodePorts: this.localhostNodePorts,
        log: this.log,
      });
    const first = new Promise<void>((resolve) => {
      this.attempted = resolve;
    });
    // Stopped during start-up: no first sync to wait for.
    if (!(await this.loop.start())) return;
    await first;
    this.log.info("proxying", { node: this.opts.hostname, syncs: this.syncs });
  }

  /** Resolves once every change seen so far is in the kernel. */
  settled(): Promise<void> {
    return this.loop.settled();
  }

  /** Stops watching and syncing; the rules stay (connections keep working across a restart). */
  stop(): Promise<void> {
    this.startup = undefined;
    return this.loop.stop();
  }

  /** Stops, then removes every KUBE-* chain and the jumps to them. */
  async cleanup(): Promise<void> {
    await this.stop();
    this.rules.invalidate();
    await this.iptables.cleanup();
  }

  private watch(): void {
    const kick = () => this.syncer.run();
    this.services.addEventHandler({
      onAdd: kick,
      onUpdate: (a, b) => {
        if (serviceFingerprint(a) !== serviceFingerprint(b)) kick();
      },
      onDelete: kick,
    });
    this.slices.addEventHandler({ onAdd: kick, onUpdate: kick, onDelete: kick });
    this.nodes.addEventHandler({
      onAdd: kick,
      onUpdate: (a, b) => {
        if (nodeFingerprint(a) !== nodeFingerprint(b)) kick();
      },
      onDelete: kick,
    });
  }

  private config(node: Node | undefined): RulesConfig {
    return {
      ...(this.opts.clusterCIDR ? { clusterCIDR: this.opts.clusterCIDR } : {}),
      masqueradeAll: this.opts.masqueradeAll ?? false,
      masqueradeMark: this.mark,
      localhostNodePorts: this.localhostNodePorts,
      nodeIPs: nodeIPs(node),
      nodeLabels: node?.metadata?.labels ?? {},
    };
  }

  private async sync(): Promise<void> {
    const node = this.nodes.store.get(this.opts.hostname);
    const input = rulesInput(
      { services: this.services.store.list(), slices: this.slices.store.list() },
      { hostname: this.opts.hostname },
    );
    const applied = await this.rules.apply(buildRuleset(input, this.config(node)));
    this.syncs++;
    if (applied.full) this.fullSyncs++;
    await this.clearStaleFlows(input);
  }

  /** Best effort: a failure here leaves flows to time out, it does not fail the sync. */
  private async clearStaleFlows(input: RulesInput): Promise<void> {
    if (!hasUdpService(input.services) || !(await this.conntrack.available())) return;
    try {
      const deletions = staleFlowDeletions(await this.conntrack.listUdp(), input);
      for (const args of deletions) await this.conntrack.delete(args);
    } catch (err) {
      this.log.warn("clearing stale UDP flows failed", { error: String(err) });
    }
  }
}

/** The brief's name for it; a class named Proxy would shadow the global inside this module. */
export { KubeProxy as Proxy };

/** Removes every KUBE-* chain and jump without an API server (`k8ts proxy --cleanup`). */
export function cleanupRules(
  opts: { netns?: string; runner?: CommandRunner } = {},
): Promise<boolean> {
  const runner = opts.runner ?? (opts.netns ? netnsRunner(opts.netns) : hostRunner);
  return new Iptables(runner).cleanup();
}
