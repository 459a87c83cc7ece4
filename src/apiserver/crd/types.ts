/**
 * The contracts of custom resources (apiextensions.k8s.io/v1): what the
 * API server knows of each established CustomResourceDefinition, from which
 * the generic REST handler serves its objects like any built-in kind.
 */
import type {
  CustomResourceDefinition,
  CustomResourceDefinitionVersion,
  JSONSchemaProps,
} from "kubernetes-types/apiextensions/v1.js";
import type { ResourceDescriptor } from "../../api/resources.js";

/** One served version of one established CRD. */
export interface CustomResourceVersion {
  readonly crd: CustomResourceDefinition;
  readonly version: CustomResourceDefinitionVersion;
  /** The version's structural schema (spec.versions[].schema.openAPIV3Schema). */
  readonly schema: JSONSchemaProps | undefined;
  /** What the generic handler serves: group, version, kind, plural, scope, names, subresources. */
  readonly descriptor: ResourceDescriptor;
  /** The version objects are stored in (the one with storage: true). */
  readonly storageVersion: string;
}

/** The established CRDs, kept current from the store. */
export interface CustomResources {
  /** Every served version of every established CRD. */
  versions(): readonly CustomResourceVersion[];
  /** The served version with this group, version and kind, if any. */
  byKind(group: string, version: string, kind: string): CustomResourceVersion | undefined;
  /** The served version with this group, version and plural, if any. */
  byResource(group: string, version: string, plural: string): CustomResourceVersion | undefined;
  /** Called after every change of the set (a CRD established, changed or removed). */
  onChange(listener: () => void): void;
}
