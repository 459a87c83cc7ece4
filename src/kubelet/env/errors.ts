/**
 * What building a container's environment can report. Every failure stops the
 * container from being created with reason CreateContainerConfigError, as the
 * kubelet's generateContainerConfig does; skipped envFrom keys are warnings
 * (upstream's InvalidEnvironmentVariableNames event) and the container starts.
 */
import { FieldPathError } from "../fieldpath/index.js";

/** A container's environment could not be built; the kubelet reports `reason`. */
export class EnvError extends Error {
  readonly reason = "CreateContainerConfigError" as const;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Something worth an event on the pod that does not stop the container. */
export interface EnvWarning {
  reason: "InvalidEnvironmentVariableNames";
  message: string;
}

/** `fn()`, a FieldPathError of the shared downward API code becoming an EnvError with its message. */
export function withEnvErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof FieldPathError) throw new EnvError(err.message, { cause: err });
    throw err;
  }
}

/** An error thrown by a source (API failure, ...), as an EnvError with the same message. */
export function asEnvError(err: unknown): EnvError {
  if (err instanceof EnvError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new EnvError(message, { cause: err });
}
