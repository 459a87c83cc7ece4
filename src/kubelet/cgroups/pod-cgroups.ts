/**
 * Pod-level cgroups (upstream's QoS and pod container managers, cgroupfs
 * driver): `<root>/kubepods` with its burstable and besteffort tiers made
 * at start, one `pod<uid>` cgroup per pod holding the pod's summed limits,
 * given to the runtime as the sandbox's cgroupParent so runc puts the
 * pause and every container below it, and removed once the pod is gone.
 */
import { readFileSync } from "node:fs";
import type { Pod } from "kubernetes-types/core/v1.js";
import { type CgroupLayout, CgroupTree, cgroupLayout } from "../../runtime/cgroups/index.js";
import {
  BEST_EFFORT_TIER,
  cgroupFiles,
  kubepodsPath,
  podCgroupPath,
  podCgroupResources,
  podUidOf,
  tierPaths,
} from "./pod-values.js";

/** What the kubelet needs of pod cgroups (absent: pods sit wherever the runtime puts them). */
export interface PodCgroupManager {
  /** Makes kubepods and the QoS tiers. */
  start(): Promise<void>;
  /** Makes the pod's cgroup with its limits when missing; its path, the pod's cgroupParent. */
  ensure(pod: Pod): Promise<string>;
  /** Removes the pod's cgroup, killing anything left in it. Idempotent. */
  remove(podUid: string): Promise<void>;
  /** Uids of the pods that have a cgroup. */
  podUids(): Promise<string[]>;
}

export interface PodCgroupsOptions {
  /** The node's cgroup root (kubelet --cgroup-root); pods go in `<root>/kubepods`. Default "/". */
  root?: string;
  /** This host's cgroup layout. Default: read from /proc/self/mountinfo. */
  layout?: CgroupLayout;
}

export class PodCgroups implements PodCgroupManager {
  readonly root: string;
  readonly tree: CgroupTree;

  constructor(options: PodCgroupsOptions = {}) {
    this.root = options.root ?? "/";
    this.tree = new CgroupTree(
      options.layout ?? cgroupLayout(readFileSync("/proc/self/mountinfo", "utf8")),
    );
  }

  /** `<root>/kubepods`. */
  get kubepods(): string {
    return kubepodsPath(this.root);
  }

  async start(): Promise<void> {
    const tiers = tierPaths(this.root);
    await this.tree.create(tiers.Burstable);
    await this.tree.create(tiers.BestEffort);
    await this.tree.write(tiers.BestEffort, cgroupFiles(BEST_EFFORT_TIER, this.tree.unified));
  }

  async ensure(pod: Pod): Promise<string> {
    const path = podCgroupPath(this.root, pod);
    // A pod's resources never change (no in-place resize): written once per kubelet run.
    if (this.#ensured.has(path)) return path;
    await this.tree.create(path);
    await this.tree.write(path, cgroupFiles(podCgroupResources(pod), this.tree.unified));
    this.#ensured.add(path);
    return path;
  }

  readonly #ensured = new Set<string>();

  async remove(podUid: string): Promise<void> {
    for (const path of this.#ensured)
      if (path.endsWith(`/pod${podUid}`)) this.#ensured.delete(path);
    // The uid alone does not say which tier the pod was in.
    for (const tier of Object.values(tierPaths(this.root)))
      await this.tree.remove(`${tier}/pod${podUid}`);
  }

  async podUids(): Promise<string[]> {
    const out: string[] = [];
    for (const tier of Object.values(tierPaths(this.root))) {
      for (const name of await this.tree.children(tier)) {
        const uid = podUidOf(name);
        if (uid !== undefined) out.push(uid);
      }
    }
    return out;
  }

  /** Removes kubepods and everything below it (k8ts reset, test teardown). */
  async destroy(): Promise<void> {
    await this.tree.remove(this.kubepods);
  }
}
