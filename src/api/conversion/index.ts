import { eventsV1 } from "./events.js";
import { hpaV1 } from "./hpa.js";
import type { Conversion } from "./types.js";

export type { Conversion } from "./types.js";

/** Served versions whose objects live in another version's storage, keyed `group/version/resource`. */
const CONVERSIONS: Record<string, Conversion> = {
  "events.k8s.io/v1/events": eventsV1,
  "autoscaling/v1/horizontalpodautoscalers": hpaV1,
};

export function conversionFor(d: {
  group: string;
  version: string;
  plural: string;
}): Conversion | undefined {
  return CONVERSIONS[`${d.group}/${d.version}/${d.plural}`];
}
