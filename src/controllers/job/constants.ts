/** Names and limits the Job controller shares with the API and with users (batch/v1). */

export const JOB_API_VERSION = "batch/v1";
export const JOB_KIND = "Job";
export const JOB_COMPONENT = "job-controller";

/**
 * Held on every pod the controller creates until the pod's outcome is
 * counted in the Job's status, so a finished pod cannot vanish uncounted.
 */
export const TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";

export const COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
export const COMPLETION_INDEX_LABEL = "batch.kubernetes.io/job-completion-index";
export const COMPLETION_INDEX_ENV = "JOB_COMPLETION_INDEX";

/** spec.managedBy value meaning "this controller"; any other value leaves the Job alone. */
export const JOB_CONTROLLER_NAME = "kubernetes.io/job-controller";

/** Pods created or deleted in one sync at most (upstream's MaxPodCreateDeletePerSync). */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;

/**
 * UIDs one sync may add to status.uncountedTerminatedPods; keeps the status
 * small and stops one large Job from starving the others.
 */
export const MAX_UNCOUNTED_PODS = 500;

/** First delay before replacing a failed pod; doubles per failure since the last success. */
export const DEFAULT_BACKOFF_MS = 10_000;
export const MAX_BACKOFF_MS = 6 * 60_000;

/** Condition types and reasons written to status.conditions. */
export const CONDITION = {
  complete: "Complete",
  failed: "Failed",
  suspended: "Suspended",
  failureTarget: "FailureTarget",
  successCriteriaMet: "SuccessCriteriaMet",
} as const;

export const REASON = {
  backoffLimitExceeded: "BackoffLimitExceeded",
  deadlineExceeded: "DeadlineExceeded",
  completionsReached: "CompletionsReached",
  suspended: "JobSuspended",
  resumed: "JobResumed",
} as const;

export const MESSAGE = {
  backoffLimitExceeded: "Job has reached the specified backoff limit",
  deadlineExceeded: "Job was active longer than specified deadline",
  completionsReached: "Reached expected number of succeeded pods",
  suspended: "Job suspended",
  resumed: "Job resumed",
} as const;
