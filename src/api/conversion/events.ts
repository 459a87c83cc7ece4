import type { KubeObject } from "../strategy.js";
import type { Conversion } from "./types.js";

/** events.k8s.io/v1 field ↔ core/v1 field, for the fields that only changed name. */
const RENAMED: ReadonlyArray<readonly [string, string]> = [
  ["regarding", "involvedObject"],
  ["note", "message"],
  ["reportingController", "reportingComponent"],
  ["deprecatedSource", "source"],
  ["deprecatedFirstTimestamp", "firstTimestamp"],
  ["deprecatedLastTimestamp", "lastTimestamp"],
  ["deprecatedCount", "count"],
];
const SAME = [
  "metadata",
  "eventTime",
  "series",
  "reportingInstance",
  "action",
  "reason",
  "related",
  "type",
];

function copy(from: KubeObject, pairs: ReadonlyArray<readonly [string, string]>): KubeObject {
  const out: KubeObject = {};
  for (const k of SAME) if (from[k] !== undefined) out[k] = structuredClone(from[k]);
  for (const [src, dst] of pairs)
    if (from[src] !== undefined) out[dst] = structuredClone(from[src]);
  return out;
}

/** events.k8s.io/v1 Events are stored as core/v1 Events, as upstream stores them. */
export const eventsV1: Conversion = {
  storage: { group: "", version: "v1" },
  toStorage(obj) {
    return { apiVersion: "v1", kind: "Event", ...copy(obj, RENAMED) };
  },
  fromStorage(obj) {
    return {
      apiVersion: "events.k8s.io/v1",
      kind: "Event",
      ...copy(
        obj,
        RENAMED.map(([a, b]) => [b, a] as const),
      ),
    };
  },
};
