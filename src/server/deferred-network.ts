import type { PodSandboxConfig } from "../runtime/cri.js";
import type { PodNetwork } from "../runtime/engine/pod-network.js";

/**
 * A pod network that exists only once the node knows its podCIDR: until
 * `set()` is called, attaching fails with the reason (the kubelet reports
 * the node NotReady meanwhile, so the scheduler sends nothing here).
 */
export class DeferredPodNetwork implements PodNetwork {
  private network: PodNetwork | undefined;

  constructor(private readonly waitingFor: string) {}

  set(network: PodNetwork): void {
    this.network = network;
  }

  /** Why pods cannot be networked yet, undefined once they can. */
  notReady(): string | undefined {
    return this.network ? undefined : this.waitingFor;
  }

  attach(sandboxId: string, netnsPath: string, config: PodSandboxConfig): Promise<string> {
    if (!this.network) return Promise.reject(new Error(`network not ready: ${this.waitingFor}`));
    return this.network.attach(sandboxId, netnsPath, config);
  }

  async detach(sandboxId: string, netnsPath: string, config: PodSandboxConfig): Promise<void> {
    // Nothing was attached before the network existed.
    await this.network?.detach(sandboxId, netnsPath, config);
  }
}
