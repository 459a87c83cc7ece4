/**
 * Failures decoding a Kubernetes protobuf body. Upstream's API server
 * answers every one of them with 400 Bad Request.
 */
export class ProtobufDecodeError extends Error {
  /** The HTTP status code to answer with. */
  readonly code = 400;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}
