/**
 * API failures as typed errors: the server's metav1.Status, classified the
 * way client-go's apierrors predicates do (IsNotFound, IsConflict, ...).
 */
export interface StatusBody {
  kind?: string;
  apiVersion?: string;
  status?: string;
  message?: string;
  reason?: string;
  details?: {
    name?: string;
    group?: string;
    kind?: string;
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
    retryAfterSeconds?: number;
  };
  code?: number;
}

export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly status: StatusBody,
    options?: ErrorOptions,
  ) {
    super(status.message ?? status.reason ?? `HTTP ${code}`, options);
    this.name = new.target.name;
  }

  get reason(): string {
    return this.status.reason ?? "";
  }
}

export class NotFoundError extends StatusError {}
export class AlreadyExistsError extends StatusError {}
export class ConflictError extends StatusError {}
export class InvalidError extends StatusError {}
/** 410: the requested resourceVersion is too old (compacted); relist. */
export class GoneError extends StatusError {}
export class TooManyRequestsError extends StatusError {}
export class ForbiddenError extends StatusError {}
export class UnauthorizedError extends StatusError {}

/** The typed error for a Status with this HTTP code. */
export function statusError(code: number, status: StatusBody): StatusError {
  const reason = status.reason ?? "";
  if (code === 404 || reason === "NotFound") return new NotFoundError(code, status);
  if (reason === "AlreadyExists") return new AlreadyExistsError(code, status);
  if (code === 409 || reason === "Conflict") return new ConflictError(code, status);
  if (code === 422 || reason === "Invalid") return new InvalidError(code, status);
  if (code === 410 || reason === "Expired" || reason === "Gone") return new GoneError(code, status);
  if (code === 429 || reason === "TooManyRequests") return new TooManyRequestsError(code, status);
  if (code === 403 || reason === "Forbidden") return new ForbiddenError(code, status);
  if (code === 401 || reason === "Unauthorized") return new UnauthorizedError(code, status);
  return new StatusError(code, status);
}

export const isNotFound = (err: unknown): err is NotFoundError => err instanceof NotFoundError;
export const isConflict = (err: unknown): err is ConflictError => err instanceof ConflictError;
export const isAlreadyExists = (err: unknown): err is AlreadyExistsError =>
  err instanceof AlreadyExistsError;
export const isGone = (err: unknown): err is GoneError => err instanceof GoneError;
