export { type Candidate, pickOneCandidate } from "./candidates.js";
export { splitByPDBViolation } from "./pdb.js";
export { byImportance, moreImportantPod } from "./pod-order.js";
export {
  NOT_ELIGIBLE_NEVER,
  NOT_ELIGIBLE_TERMINATING,
  notEligibleReason,
  PREEMPTION_NOT_HELPFUL,
  type PreemptionResult,
  preempt,
  preemptionMessage,
} from "./preempt.js";
export { NO_VICTIMS_FOUND, type SimulationInput, selectVictimsOnNode } from "./victims.js";
