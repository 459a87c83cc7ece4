import { ForbiddenError } from "../../client/rest/errors.js";

/**
 * The informer cache has not caught up with this controller's own writes:
 * acting now would redo or undo them. Retried with backoff, not a failure.
 */
export class StaleInformerCacheError extends Error {
  override readonly name = "StaleInformerCacheError";
}

/** Creates in a terminating namespace keep failing: the work item is dropped instead. */
export function isNamespaceTerminating(err: unknown): boolean {
  return (
    err instanceof ForbiddenError &&
    (err.status.details?.causes ?? []).some((c) => c.reason === "NamespaceTerminating")
  );
}
