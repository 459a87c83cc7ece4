/**
 * API errors as upstream's metav1.Status: the same codes, reasons and
 * message wording (k8s.io/apimachinery/pkg/api/errors), so kubectl prints
 * what it prints against upstream.
 */
import { errorBody, type FieldError, formatFieldErrors } from "../machinery/field-errors.js";

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** A request failure carrying the Status to send. */
export class ApiError extends Error {
  constructor(
    readonly status: Status,
    options?: ErrorOptions,
  ) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`, options);
    this.name = "ApiError";
  }

  get code(): number {
    return this.status.code;
  }
}

/** What a resource is called in messages: `pods`, `deployments.apps`. */
export interface QualifiedResource {
  readonly group: string;
  readonly resource: string;
}

const qualified = (r: QualifiedResource) => (r.group ? `${r.resource}.${r.group}` : r.resource);

function failure(code: number, reason: string, message: string, details?: StatusDetails): ApiError {
  const status: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  };
  if (details) status.details = details;
  return new ApiError(status);
}

function resourceDetails(r: QualifiedResource, name: string): StatusDetails {
  const d: StatusDetails = { name, kind: r.resource };
  if (r.group) d.group = r.group;
  return d;
}

export const notFound = (r: QualifiedResource, name: string) =>
  failure(404, "NotFound", `${qualified(r)} "${name}" not found`, resourceDetails(r, name));

export const alreadyExists = (r: QualifiedResource, name: string) =>
  failure(
    409,
    "AlreadyExists",
    `${qualified(r)} "${name}" already exists`,
    resourceDetails(r, name),
  );

export const conflict = (r: QualifiedResource, name: string, why: string) =>
  failure(
    409,
    "Conflict",
    `Operation cannot be fulfilled on ${qualified(r)} "${name}": ${why}`,
    resourceDetails(r, name),
  );

export const OBJECT_MODIFIED =
  "the object has been modified; please apply your changes to the latest version and try again";

/** 422 with one cause per field error; `kind` is the qualified kind (`Deployment.apps`). */
export function invalid(
  kind: { group: string; kind: string },
  name: string,
  errors: readonly FieldError[],
): ApiError {
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  // Go's omitempty: an object without a name (ListOptions) has none in details.
  const details: StatusDetails = {
    ...(name !== "" ? { name } : {}),
    kind: kind.kind,
    causes: errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field })),
  };
  if (kind.group) details.group = kind.group;
  return failure(
    422,
    "Invalid",
    `${qualifiedKind} "${name}" is invalid: ${formatFieldErrors(errors)}`,
    details,
  );
}

export const badRequest = (message: string) => failure(400, "BadRequest", message);

export const methodNotAllowed = () =>
  failure(
    405,
    "MethodNotAllowed",
    "the server does not allow this method on the requested resource",
  );

export const notAcceptable = (message: string) => failure(406, "NotAcceptable", message);

export const unsupportedMediaType = (accepted: readonly string[]) =>
  failure(
    415,
    "UnsupportedMediaType",
    `the body of the request was in an unknown format - accepted media types include: ${accepted.join(", ")}`,
  );

export const expired = (message: string) => failure(410, "Expired", message);

export const gone = (message: string) => failure(410, "Gone", message);

export const unauthorized = () => failure(401, "Unauthorized", "Unauthorized");

export const forbidden = (message: string) => failure(403, "Forbidden", message);

export const requestEntityTooLarge = (message: string) =>
  failure(413, "RequestEntityTooLarge", message);

export const tooLargeResourceVersion = (requested: number, current: number) =>
  failure(504, "Timeout", `Too large resource version: ${requested}, current: ${current}`, {
    causes: [{ reason: "ResourceVersionTooLarge", message: "Too large resource version" }],
    retryAfterSeconds: 1,
  });

export const internalError = (message: string) =>
  failure(500, "InternalError", `Internal error occurred: ${message}`, {
    causes: [{ message }],
  });

export const serviceUnavailable = (message: string) => failure(503, "ServiceUnavailable", message);

export const notImplemented = (message: string) => failure(501, "NotImplemented", message);

export const notFoundPath = () =>
  failure(404, "NotFound", "the server could not find the requested resource", {});

export function success(details?: StatusDetails): Status {
  const s: Status = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Success",
    code: 200,
  };
  if (details) s.details = details;
  return s;
}
