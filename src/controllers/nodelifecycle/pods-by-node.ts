import type { Pod } from "kubernetes-types/core/v1.js";
import { objectKey } from "../../client/informer/indexer.js";
import { type Informer, objectOf } from "../../client/informer/informer.js";

/**
 * Pod keys by spec.nodeName, kept from the shared pod informer's events
 * (that informer's indexes are fixed, so node controllers keep their own,
 * as upstream adds its spec.nodeName indexer). Pods come from the store,
 * so callers always see the cached object.
 */
export class PodsByNode {
  private readonly byNode = new Map<string, Set<string>>();
  private readonly nodeOf = new Map<string, string>();

  constructor(private readonly pods: Informer<Pod>) {
    pods.addEventHandler({
      onAdd: (pod) => this.set(pod),
      onUpdate: (_old, pod) => this.set(pod),
      onDelete: (obj) => this.remove(objectKey(objectOf(obj))),
    });
  }

  /** The cached pods bound to `nodeName`. */
  podsOn(nodeName: string): Pod[] {
    const keys = this.byNode.get(nodeName);
    if (!keys) return [];
    return [...keys].map((k) => this.pods.store.get(k)).filter((p): p is Pod => p !== undefined);
  }

  private set(pod: Pod): void {
    const key = objectKey(pod);
    const node = pod.spec?.nodeName ?? "";
    if (this.nodeOf.get(key) === node) return;
    this.remove(key);
    if (!node) return;
    this.nodeOf.set(key, node);
    let keys = this.byNode.get(node);
    if (!keys) {
      keys = new Set();
      this.byNode.set(node, keys);
    }
    keys.add(key);
  }

  private remove(key: string): void {
    const node = this.nodeOf.get(key);
    if (node === undefined) return;
    this.nodeOf.delete(key);
    const keys = this.byNode.get(node);
    keys?.delete(key);
    if (keys?.size === 0) this.byNode.delete(node);
  }
}
