/**
 * Patch failures. Each carries the HTTP status upstream's API server answers
 * with, so the handler maps them without knowing the patch type:
 * 400 for undecodable or malformed patches, 422 when a valid patch cannot be
 * applied, 413 for oversized JSON patches, and 500 for the strategic merge
 * failures upstream passes through untyped.
 */

export class PatchError extends Error {
  /** The HTTP status code to answer with. */
  readonly code: number = 500;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The patch is not well formed (400 Bad Request). */
export class PatchBadRequestError extends PatchError {
  override readonly code = 400;
}

/** The patch is well formed but cannot be applied (422 Unprocessable Entity). */
export class PatchUnprocessableError extends PatchError {
  override readonly code = 422;
}

/** A JSON patch `test` operation found a different value (422, as upstream). */
export class JsonPatchTestFailedError extends PatchUnprocessableError {}

/** A JSON patch with too many operations (413). */
export class PatchTooLargeError extends PatchError {
  override readonly code = 413;
}

/**
 * A strategic merge patch that does not fit the object, e.g. a list item
 * without its merge key. Upstream returns these as plain errors (500).
 */
export class StrategicMergeError extends PatchError {}
