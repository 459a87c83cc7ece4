/** A container or sandbox configuration no valid OCI spec can be built from. */
export class SpecError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A mount that cannot be expressed (relative container path, read-only mount with rshared root, ...). */
export class InvalidMountError extends SpecError {}

/** A privileged container in a sandbox that is not privileged (containerd refuses it the same way). */
export class PrivilegedNotAllowedError extends SpecError {}

/** A namespace option the builder was not given enough to honour (TARGET without the target's pid). */
export class NamespaceOptionError extends SpecError {}
