/** Expected failures of store operations: callers map them to API statuses. */
export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class KeyExistsError extends StoreError {
  constructor(readonly key: string) {
    super(`key already exists: ${key}`);
  }
}

export class KeyNotFoundError extends StoreError {
  constructor(readonly key: string) {
    super(`key not found: ${key}`);
  }
}

/** A compare-and-swap lost: the key changed since `expectedModRevision`. */
export class ConflictError extends StoreError {
  constructor(
    readonly key: string,
    readonly expectedModRevision: number,
    readonly actualModRevision: number,
  ) {
    super(
      `key ${key} was modified: expected revision ${expectedModRevision}, found ${actualModRevision}`,
    );
  }
}

/** The requested revision's history has been compacted away (the API's 410 Gone). */
export class CompactedError extends StoreError {
  constructor(
    readonly requestedRevision: number,
    readonly compactRevision: number | undefined,
  ) {
    super(
      compactRevision === undefined
        ? `required revision ${requestedRevision} has been compacted`
        : `required revision ${requestedRevision} has been compacted (compacted at ${compactRevision})`,
    );
  }
}

/** The requested revision is newer than anything the store has written. */
export class FutureRevisionError extends StoreError {
  constructor(
    readonly requestedRevision: number,
    readonly currentRevision: number | undefined,
  ) {
    super(
      currentRevision === undefined
        ? `required revision ${requestedRevision} is a future revision`
        : `required revision ${requestedRevision} is a future revision (current ${currentRevision})`,
    );
  }
}

export class ValueTooLargeError extends StoreError {
  constructor(
    readonly key: string,
    readonly size: number,
    readonly limit: number,
  ) {
    super(`value for ${key} is ${size} bytes, over the ${limit}-byte limit`);
  }
}

export class InvalidKeyError extends StoreError {}

/** The store is closed, unreachable, or its file cannot be used. */
export class StoreUnavailableError extends StoreError {}

/** A broken internal invariant: a bug, never an expected outcome. */
export class StoreInvariantError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "StoreInvariantError";
  }
}
