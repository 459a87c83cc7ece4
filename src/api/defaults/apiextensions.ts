/**
 * apiextensions.k8s.io/v1 defaults and the CustomResourceDefinition
 * strategy's create/update preparation (upstream's
 * apiextensions-apiserver pkg/apis/apiextensions/v1/defaults.go and
 * pkg/registry/customresourcedefinition/strategy.go).
 */
import { child, isObj, type Obj, objList, setDefaultString, str } from "../validation/shape.js";

/** Held by every CRD being deleted until its custom resources are gone. */
export const CUSTOM_RESOURCE_CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

/** SetDefaults_CustomResourceDefinition(Spec): singular, listKind, conversion strategy. */
export function defaultCustomResourceDefinition(crd: Obj): void {
  const spec = child(crd, "spec");
  const names = child(spec, "names");
  const kind = str(names.kind);
  setDefaultString(names, "singular", kind.toLowerCase());
  if (str(names.listKind) === "" && kind !== "") names.listKind = `${kind}List`;
  const conversion = child(spec, "conversion");
  setDefaultString(conversion, "strategy", "None");
  // SetDefaults_ServiceReference: port 443.
  const webhook = conversion.webhook;
  if (isObj(webhook) && isObj(webhook.clientConfig) && isObj(webhook.clientConfig.service)) {
    const svc = webhook.clientConfig.service;
    if (svc.port === undefined || svc.port === null) svc.port = 443;
  }
}

/** The name of the version marked storage: true, or undefined. */
export function storageVersionOf(crd: Obj): string | undefined {
  const v = objList(obj(crd.spec).versions).find((x) => x.storage === true);
  return v === undefined ? undefined : str(v.name);
}

function obj(v: unknown): Obj {
  return isObj(v) ? v : {};
}

/** Adds the storage version to status.storedVersions when missing. */
function recordStorageVersion(crd: Obj): void {
  const storage = storageVersionOf(crd);
  if (storage === undefined) return;
  const status = child(crd, "status");
  const stored = Array.isArray(status.storedVersions) ? [...status.storedVersions] : [];
  if (!stored.includes(storage)) stored.push(storage);
  status.storedVersions = stored;
}

/**
 * PrepareForCreate: the status starts empty (acceptedNames blank, no
 * conditions) but for storedVersions, which records the storage version;
 * the CRD gets the cleanup finalizer.
 */
export function prepareCustomResourceDefinitionForCreate(crd: Obj): void {
  crd.status = { acceptedNames: { plural: "", kind: "" }, storedVersions: [] };
  recordStorageVersion(crd);
  // Upstream's REST delete adds the cleanup finalizer on the first delete;
  // the generic delete here only keeps objects that already have one.
  const meta = child(crd, "metadata");
  const finalizers = Array.isArray(meta.finalizers) ? [...meta.finalizers] : [];
  if (!finalizers.includes(CUSTOM_RESOURCE_CLEANUP_FINALIZER)) {
    finalizers.push(CUSTOM_RESOURCE_CLEANUP_FINALIZER);
  }
  meta.finalizers = finalizers;
}

/** PrepareForUpdate: a new storage version joins status.storedVersions. */
export function prepareCustomResourceDefinitionForUpdate(crd: Obj, _old: Obj): void {
  recordStorageVersion(crd);
}
