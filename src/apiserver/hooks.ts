import type { ResourceDescriptor } from "../api/resources.js";
import type { KindStrategy, KubeObject, NameRule } from "../api/strategy.js";
import type { FieldError } from "../machinery/field-errors.js";
import type { PatchMeta } from "../machinery/patch/meta.js";

export interface LabelMatcher {
  matches(labels: Readonly<Record<string, string>>): boolean;
  empty(): boolean;
}

export interface FieldMatcher {
  matches(fields: Readonly<Record<string, string>>): boolean;
  empty(): boolean;
  /** The value an `=` term demands for `field`, if any. */
  requiresExactMatch(field: string): string | undefined;
  requirements(): readonly {
    readonly field: string;
    readonly operator: string;
    readonly value: string;
  }[];
  toString(): string;
}

export interface TableOptions {
  readonly groupResource: string;
  readonly objects: KubeObject[];
  readonly now: Date;
  readonly includeObject: "None" | "Metadata" | "Object";
  readonly listMeta: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** Leave out columnDefinitions (watch events after the first). */
  readonly noHeaders?: boolean;
}

/**
 * The pure parts the API server is assembled from: per-kind strategies,
 * metadata validation, tables, schema knowledge, selectors and patches.
 * `defaultHooks()` (wiring.ts) supplies the real ones; the indirection keeps
 * the HTTP and storage code independent of how each part is built.
 */
export interface ApiHooks {
  strategyFor(group: string, version: string, kind: string): KindStrategy;
  validateObjectMeta(
    obj: KubeObject,
    opts: { namespaced: boolean; nameRule: NameRule },
  ): FieldError[];
  validateObjectMetaUpdate(obj: KubeObject, old: KubeObject): FieldError[];
  buildTable(opts: TableOptions): object;
  /** Paths of fields the schema does not know (for fieldValidation). */
  unknownFields(obj: unknown, gvk: { group: string; version: string; kind: string }): string[];
  /** Drops the fields the schema does not know, in place (upstream's decoder never keeps them). */
  pruneUnknownFields(obj: unknown, gvk: { group: string; version: string; kind: string }): void;
  patchMetaFor(gvk: { group: string; version: string; kind: string }): PatchMeta;
  /** Like patchMetaFor, plus list-map keys and map types, for server-side apply. */
  applyMetaFor(gvk: { group: string; version: string; kind: string }): PatchMeta;
  parseLabelSelector(text: string): LabelMatcher;
  parseFieldSelector(text: string): FieldMatcher;
  strategicMerge(original: KubeObject, patch: unknown, meta: PatchMeta): KubeObject;
  mergePatch(original: KubeObject, patch: unknown): KubeObject;
  jsonPatch(original: KubeObject, patch: unknown): KubeObject;
  /** /openapi/v2 (swagger 2.0) for these resources. */
  openapiV2(resources: readonly ResourceDescriptor[]): object;
  /** The same document as gnostic's protobuf (what kubectl 1.27 and `explain` v2 fetch). */
  openapiV2Protobuf(resources: readonly ResourceDescriptor[]): Uint8Array;
  /** /openapi/v3: the index of group-version documents. */
  openapiV3Root(resources: readonly ResourceDescriptor[]): object;
  /** /openapi/v3/<path> (`api/v1`, `apis/apps/v1`), or undefined when unknown. */
  openapiV3(resources: readonly ResourceDescriptor[], path: string): object | undefined;
}
