/**
 * Downward API files (upstream pkg/volume/downwardapi CollectData): pod
 * fields and container resources as file contents, read with the shared
 * ../fieldpath helpers. Pure.
 */
import type { DownwardAPIVolumeFile, ObjectFieldSelector, Pod } from "kubernetes-types/core/v1.js";
import { extractFieldPathAsString } from "../fieldpath/index.js";
import { aggregateMessage, messageOf } from "./errors.js";
import { DEFAULT_MODE } from "./keys.js";
import type { Payload } from "./payload.js";
import { type NodeAllocatable, resourceFieldValue } from "./resource-field.js";

/**
 * The text of a fieldRef file. Supports what upstream's downward API volume
 * does (metadata.name, namespace, uid, labels, annotations, and label or
 * annotation subscripts) plus spec.nodeName and spec.serviceAccountName.
 */
export function fieldRefValue(pod: Pod, selector: ObjectFieldSelector): string {
  switch (selector.fieldPath) {
    case "spec.nodeName":
      return pod.spec?.nodeName ?? "";
    case "spec.serviceAccountName":
      return pod.spec?.serviceAccountName ?? "";
  }
  return extractFieldPathAsString(pod, selector.fieldPath);
}

export interface DownwardAPIOptions {
  /** Mode of files without an item mode. Default 0644. */
  defaultMode?: number | undefined;
  /** Node allocatable, the value of unset cpu/memory/ephemeral-storage limits. */
  nodeAllocatable?: NodeAllocatable | undefined;
}

/** The files of a downwardAPI volume or projection; every failing item is reported together. */
export function downwardAPIPayload(
  items: readonly DownwardAPIVolumeFile[] | undefined,
  pod: Pod,
  opts: DownwardAPIOptions = {},
): Payload {
  const payload: Payload = new Map();
  const errors: string[] = [];
  for (const item of items ?? []) {
    const mode = item.mode ?? opts.defaultMode ?? DEFAULT_MODE;
    try {
      let text = "";
      if (item.fieldRef !== undefined) text = fieldRefValue(pod, item.fieldRef);
      else if (item.resourceFieldRef !== undefined)
        text = resourceFieldValue(item.resourceFieldRef, pod, opts.nodeAllocatable);
      payload.set(item.path, { data: new Uint8Array(Buffer.from(text, "utf8")), mode });
    } catch (err) {
      errors.push(messageOf(err));
    }
  }
  if (errors.length > 0) throw new Error(aggregateMessage(errors));
  return payload;
}
