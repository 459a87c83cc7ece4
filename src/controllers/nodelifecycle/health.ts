import type { Node } from "kubernetes-types/core/v1.js";
import type { Lease } from "../../client/leaderelection/leader-election.js";
import { parseTime } from "../job/time.js";
import { readyCondition } from "./conditions.js";

/**
 * What the controller remembers of a node's signs of life (upstream's
 * nodeHealthData). Staleness is judged on the controller's own clock —
 * when it last *saw* a new heartbeat — never on the kubelet's timestamps,
 * so clock skew between machines cannot make a node look dead or alive.
 */
export interface NodeHealth {
  /** Local time a new status heartbeat or lease renewal was last seen. */
  readonly probeAt: number;
  /** The newest Ready heartbeat seen (the kubelet's clock), to tell a new post from a re-read. */
  readonly heartbeatAt: number | undefined;
  /** The newest lease renewTime seen (the kubelet's clock). */
  readonly renewAt: number | undefined;
}

const newer = (t: number | undefined, than: number | undefined) =>
  t !== undefined && (than === undefined || t > than);

/**
 * Folds one observation of a node and its Lease into what was known. A
 * node seen for the first time gets a full grace period from now (or from
 * its creation if the kubelet never posted a Ready condition). Only a
 * heartbeat *newer* than any seen counts: a stale cache re-delivering an
 * old status, or the controller's own Unknown write (which keeps the old
 * heartbeat), must not look like the kubelet talking.
 */
export function observeHealth(
  prev: NodeHealth | undefined,
  seen: { node: Node; lease: Lease | undefined; now: number },
): NodeHealth {
  const { node, lease, now } = seen;
  const ready = readyCondition(node);
  const heartbeat = parseTime(ready?.lastHeartbeatTime);
  const renew = parseTime(lease?.spec?.renewTime);
  let health: NodeHealth;
  if (!prev) {
    const created = parseTime(node.metadata?.creationTimestamp) ?? now;
    health = ready
      ? { probeAt: now, heartbeatAt: heartbeat, renewAt: undefined }
      : { probeAt: created, heartbeatAt: created, renewAt: undefined };
  } else if (newer(heartbeat, prev.heartbeatAt)) {
    health = { ...prev, probeAt: now, heartbeatAt: heartbeat };
  } else {
    health = prev;
  }
  if (newer(renew, health.renewAt)) health = { ...health, probeAt: now, renewAt: renew };
  return health;
}

/**
 * Whether the node has gone quiet for longer than its grace period: the
 * startup grace while the kubelet has never posted a Ready condition, the
 * monitor grace after.
 */
export function isStale(
  health: NodeHealth,
  opts: { node: Node; now: number; gracePeriodMs: number; startupGracePeriodMs: number },
): boolean {
  const grace = readyCondition(opts.node) ? opts.gracePeriodMs : opts.startupGracePeriodMs;
  return opts.now > health.probeAt + grace;
}
