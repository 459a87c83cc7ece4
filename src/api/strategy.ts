import type { FieldError } from "../machinery/field-errors.js";

/** Any API object as JSON: apiVersion, kind, metadata and kind-specific fields. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: {
    name?: string;
    generateName?: string;
    namespace?: string;
    uid?: string;
    resourceVersion?: string;
    generation?: number;
    creationTimestamp?: string;
    deletionTimestamp?: string;
    deletionGracePeriodSeconds?: number;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    ownerReferences?: Array<Record<string, unknown>>;
    finalizers?: string[];
    managedFields?: Array<Record<string, unknown>>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** How metadata.name is validated for a kind (upstream's ValidateObjectMeta name function). */
export type NameRule = "subdomain" | "label" | "dns1035-label" | "path-segment";

/**
 * Per-kind behaviour of the generic REST handler, the role upstream's
 * registry strategies play. Everything here is pure: no I/O, no clock
 * (callers pass what they need). Generic metadata checks (name format
 * per `nameRule`, labels, annotations, finalizers, ownerReferences) are
 * done by the API server for every kind; these hooks add the kind's own.
 */
export interface KindStrategy {
  /** How metadata.name is checked (default "subdomain"). */
  readonly nameRule?: NameRule;
  /**
   * Runs on a new object after mutating admission, before validation
   * (upstream's PrepareForCreate): what depends on the final spec, such as
   * a pod's QoS class.
   */
  prepareForCreate?(obj: KubeObject): void;
  /**
   * Carries over what the server assigned and the caller may leave out on
   * update (a Service's clusterIP and nodePorts), before defaulting.
   */
  prepareForUpdate?(obj: KubeObject, old: KubeObject): void;
  /** Sets upstream's defaults in place on a created or updated object (SetDefaults_*). */
  default?(obj: KubeObject): void;
  /** Validates a new object's kind-specific fields. */
  validate?(obj: KubeObject): FieldError[];
  /** Validates an update of the main resource: kind rules plus immutable fields. */
  validateUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /** Validates an update through the status subresource. */
  validateStatusUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Validates an update through the ephemeralcontainers subresource (pods),
   * which changes nothing but spec.ephemeralContainers.
   */
  validateEphemeralContainersUpdate?(obj: KubeObject, old: KubeObject): FieldError[];
  /**
   * Field-selector fields beyond metadata.name and metadata.namespace, with
   * their string values for this object (pods: spec.nodeName, status.phase, ...).
   */
  selectableFields?(obj: KubeObject): Record<string, string>;
}
