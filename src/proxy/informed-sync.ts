/**
 * Informer caches feeding a SyncRunner, the lifecycle the proxy and the
 * route controller share: fill every cache, only then start syncing
 * (a sync from a partial view would drop live objects), and stop both.
 */
import type { SharedInformerFactory } from "../client/informer/factory.js";
import type { SyncRunner } from "./sync-runner.js";

export class InformedSync {
  private started = false;

  constructor(
    private readonly factory: SharedInformerFactory,
    private readonly syncer: SyncRunner,
  ) {}

  /** Starts the informers and, once their caches are full, the syncs; false if already started or stopped meanwhile. */
  async start(): Promise<boolean> {
    if (this.started) return false;
    this.started = true;
    this.factory.start();
    await this.factory.waitForCacheSync();
    // stop() during start-up ends the wait early: do not start syncing after it.
    if (!this.started) return false;
    this.syncer.start();
    return true;
  }

  /** Resolves once every change seen so far has been synced. */
  settled(): Promise<void> {
    return this.syncer.idle();
  }

  /** Stops the syncs (waiting for a running one) and the informers. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    await this.syncer.stop();
    await this.factory.stop();
  }
}
