/**
 * Reports pod statuses to the API (upstream's status manager): the latest
 * computed status per pod is sent as a strategic-merge patch of pods/status,
 * only when it differs from what was last sent, one request per pod at a
 * time, retried on failure. Conditions merge by type, so the scheduler's
 * PodScheduled and readiness gates set by others are kept.
 */
import type { Pod, PodStatus } from "kubernetes-types/core/v1.js";
import { InvalidError, isConflict, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";

interface Entry {
  /** The kubelet's pod uid. */
  key: string;
  namespace: string;
  name: string;
  /** The API object's uid. */
  uid: string;
  status: PodStatus;
  sentJson: string | undefined;
  sending: boolean;
  timer: NodeJS.Timeout | undefined;
}

/** The status without the parts that change on every computation. */
const comparable = (s: PodStatus) => JSON.stringify(s);

/** The API's phase or a condition's status differs from ours. */
function drifted(api: PodStatus, ours: PodStatus): boolean {
  if ((api.phase ?? "") !== (ours.phase ?? "")) return true;
  const theirs = new Map((api.conditions ?? []).map((c) => [c.type, c.status]));
  return (ours.conditions ?? []).some((c) => theirs.get(c.type) !== c.status);
}

export class StatusManager {
  private readonly entries = new Map<string, Entry>();
  private stopped = false;
  private inflight = new Set<Promise<void>>();

  constructor(
    private readonly pods: ResourceClient<Pod>,
    private readonly opts: { onError?: (err: unknown, pod: string) => void; retryMs?: number } = {},
  ) {}

  /** The last status computed for the pod (what later syncs build on). */
  get(uid: string): PodStatus | undefined {
    return this.entries.get(uid)?.status;
  }

  /**
   * Records the status of the kubelet's pod `uid`; it is sent to the API pod
   * `target` (the pod itself, or a static pod's mirror, whose uid differs).
   */
  set(
    uid: string,
    target: { namespace: string; name: string; uid: string },
    status: PodStatus,
  ): void {
    let e = this.entries.get(uid);
    if (!e) {
      e = { key: uid, ...target, status, sentJson: undefined, sending: false, timer: undefined };
      this.entries.set(uid, e);
    }
    if (e.uid !== target.uid) e.sentJson = undefined;
    e.namespace = target.namespace;
    e.name = target.name;
    e.uid = target.uid;
    e.status = status;
    this.kick(e);
  }

  /**
   * What the API shows for the pod. The first time, it seeds what was sent,
   * so an unchanged status is not sent again after a restart. Later, if the
   * API's phase or conditions drifted from ours (the node lifecycle
   * controller marks pods not Ready when it loses the node's heartbeat),
   * ours is sent again: the kubelet owns the pod's status.
   */
  seen(uid: string, status: PodStatus | undefined): void {
    const e = this.entries.get(uid);
    if (!e || !status) return;
    if (e.sentJson === undefined) {
      e.sentJson = comparable(status);
      return;
    }
    if (!e.sending && drifted(status, e.status)) {
      e.sentJson = undefined;
      this.kick(e);
    }
  }

  forget(uid: string): void {
    const e = this.entries.get(uid);
    if (e?.timer) clearTimeout(e.timer);
    this.entries.delete(uid);
  }

  /** Resolves when every status set so far has been sent (or failed once). */
  async flush(): Promise<void> {
    while (this.inflight.size) await Promise.all([...this.inflight]);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const e of this.entries.values()) if (e.timer) clearTimeout(e.timer);
    await this.flush();
  }

  private kick(e: Entry): void {
    if (this.stopped || e.sending || e.timer || !e.name) return;
    const json = comparable(e.status);
    if (json === e.sentJson) return;
    e.sending = true;
    const p = this.send(e, json).finally(() => {
      e.sending = false;
      this.inflight.delete(p);
      if (this.entries.get(e.key) === e && comparable(e.status) !== e.sentJson && !e.timer)
        this.kick(e);
    });
    this.inflight.add(p);
  }

  private async send(e: Entry, json: string): Promise<void> {
    try {
      await this.pods.patch(
        e.name,
        { metadata: { uid: e.uid }, status: e.status },
        { namespace: e.namespace, subresource: "status", type: "strategic" },
      );
      e.sentJson = json;
    } catch (err) {
      // Gone, or replaced by a pod of the same name with another uid: nothing to report to.
      if (isNotFound(err) || err instanceof InvalidError || isConflict(err)) {
        e.sentJson = json;
        return;
      }
      this.opts.onError?.(err, `${e.namespace}/${e.name}`);
      e.timer = setTimeout(() => {
        e.timer = undefined;
        this.kick(e);
      }, this.opts.retryMs ?? 1000);
      e.timer.unref?.();
    }
  }
}
