import type { Job } from "kubernetes-types/batch/v1.js";
import { labelSelectorAsSelector, nothing, type Selector } from "../../machinery/labels/index.js";

/** The Job's pod selector; a missing, empty or invalid one selects nothing. */
export function jobSelector(job: Job): Selector {
  const sel = job.spec?.selector;
  if (!sel || (!sel.matchLabels && !sel.matchExpressions)) return nothing();
  try {
    return labelSelectorAsSelector(sel);
  } catch {
    return nothing();
  }
}
