/**
 * The one error type of the field path helpers. Callers that report their
 * own error type (env's EnvError, ...) rewrap it, keeping the message.
 */

/** A field path, subscript, resource or quantity the downward API cannot resolve. */
export class FieldPathError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
