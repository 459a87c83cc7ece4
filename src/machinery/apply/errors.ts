/**
 * Server-side apply failures, each with the HTTP status upstream's API
 * server answers with: 409 for field manager conflicts, 400 for malformed
 * managedFields or apply configurations, 500 for objects that do not fit
 * their schema (upstream's "failed to ..." internal errors).
 */

export class ApplyError extends Error {
  /** The HTTP status code to answer with. */
  readonly code: number = 500;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** metadata.managedFields[].fieldsV1 that is not a valid field set (400). */
export class FieldsV1FormatError extends ApplyError {
  override readonly code = 400;
}

/** A managedFields entry that cannot be decoded (bad operation, apiVersion or fieldsType). */
export class ManagedFieldsError extends ApplyError {
  override readonly code = 400;
}

/** An apply request that is not acceptable as such, e.g. one carrying managedFields (400). */
export class ApplyBadRequestError extends ApplyError {
  override readonly code = 400;
}

/**
 * An object that does not fit its schema for field tracking: an associative
 * list item without any key field, duplicate keys in an applied list, a map
 * inside a set (upstream: 500 "failed to create typed ... object").
 */
export class ApplySchemaError extends ApplyError {}

/** One field owned by another manager whose value the apply would change. */
export interface ApplyConflict {
  /** The other manager's name, e.g. "kubectl-edit". */
  readonly manager: string;
  readonly operation: "Apply" | "Update";
  /** The other entry's apiVersion (shown for Update managers). */
  readonly apiVersion: string;
  readonly subresource: string;
  /** The field in upstream's path form, e.g. `.spec.replicas`. */
  readonly field: string;
}

/** A StatusCause as the 409 Status body lists them. */
export interface ConflictCause {
  readonly reason: "FieldManagerConflict";
  readonly message: string;
  readonly field: string;
}

/**
 * The apply would change fields other managers own (409 Conflict). `message`
 * is upstream's text; `causes` are the Status details' causes; `status` is
 * the whole Status body.
 */
export class ApplyConflictError extends ApplyError {
  override readonly code = 409;
  readonly conflicts: readonly ApplyConflict[];
  readonly causes: readonly ConflictCause[];
  constructor(
    conflicts: readonly ApplyConflict[],
    message: string,
    causes: readonly ConflictCause[],
  ) {
    super(message);
    this.conflicts = conflicts;
    this.causes = causes;
  }

  /** The metav1.Status body upstream answers with. */
  get status(): {
    kind: "Status";
    apiVersion: "v1";
    metadata: Record<string, never>;
    status: "Failure";
    message: string;
    reason: "Conflict";
    details: { causes: ConflictCause[] };
    code: 409;
  } {
    return {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: this.message,
      reason: "Conflict",
      details: { causes: [...this.causes] },
      code: 409,
    };
  }
}
