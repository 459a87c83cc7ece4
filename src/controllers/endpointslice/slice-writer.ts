import type { EndpointSlice } from "kubernetes-types/discovery/v1.js";
import { isConflict, isNotFound } from "../../client/rest/errors.js";
import type { ResourceClient } from "../../client/rest/resource.js";
import { isNamespaceTerminating } from "./errors.js";
import { ANNOTATION_TRIGGER_TIME } from "./resources.js";
import type { EndpointSliceTracker } from "./slice-tracker.js";
import { formatTriggerTime } from "./trigger-time.js";

/** Sets (or, for 0, clears) the last-change-trigger-time annotation. */
export function setTriggerTime(slice: EndpointSlice, triggerTime: number): void {
  const annotations = { ...(slice.metadata?.annotations ?? {}) };
  if (triggerTime !== 0) annotations[ANNOTATION_TRIGGER_TIME] = formatTriggerTime(triggerTime);
  else delete annotations[ANNOTATION_TRIGGER_TIME];
  const meta: NonNullable<EndpointSlice["metadata"]> = { ...slice.metadata, annotations };
  if (Object.keys(annotations).length === 0) delete meta.annotations;
  slice.metadata = meta;
}

/**
 * Writes a slice plan: creates (not while the owner is being deleted, so
 * the garbage collector is not raced), then updates, then deletes,
 * recording each write in the tracker. Stops at the first failure.
 */
export async function writeSlices(
  client: ResourceClient<EndpointSlice>,
  w: {
    owner: { metadata?: { namespace?: string; name?: string; deletionTimestamp?: string } };
    plan: { create: EndpointSlice[]; update: EndpointSlice[]; delete: EndpointSlice[] };
    tracker: EndpointSliceTracker;
    /** ms since epoch; 0 for none (the annotation is then removed). */
    triggerTime?: number;
  },
): Promise<void> {
  const namespace = w.owner.metadata?.namespace ?? "";
  const what = `${namespace}/${w.owner.metadata?.name ?? ""}`;
  const stamp = (s: EndpointSlice) => {
    if (w.triggerTime !== undefined) setTriggerTime(s, w.triggerTime);
  };
  if (!w.owner.metadata?.deletionTimestamp) {
    for (const slice of w.plan.create) {
      stamp(slice);
      try {
        w.tracker.update(await client.create(slice, { namespace }));
      } catch (err) {
        if (isNamespaceTerminating(err)) return;
        throw new Error(`failed to create EndpointSlice for ${what}`, { cause: err });
      }
    }
  }
  for (const slice of w.plan.update) {
    stamp(slice);
    try {
      w.tracker.update(await client.update(slice, { namespace }));
    } catch (err) {
      throw wrap(err, `failed to update ${slice.metadata?.name ?? ""} EndpointSlice for ${what}`);
    }
  }
  for (const slice of w.plan.delete) {
    try {
      await client.delete(slice.metadata?.name ?? "", { namespace });
    } catch (err) {
      if (!isNotFound(err))
        throw wrap(err, `failed to delete ${slice.metadata?.name ?? ""} EndpointSlice for ${what}`);
    }
    w.tracker.expectDeletion(slice);
  }
}

/** Keeps the API error itself when it is a conflict, so the runner retries quietly. */
function wrap(err: unknown, message: string): unknown {
  if (isConflict(err)) return err;
  return new Error(message, { cause: err });
}
