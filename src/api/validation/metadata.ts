/**
 * ObjectMeta checks every kind gets (apimachinery's ValidateObjectMeta and
 * ValidateObjectMetaUpdate, plus core's finalizer rule), and the label,
 * annotation and selector checks other validators reuse.
 */
import {
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  path,
  required,
  tooLong,
} from "../../machinery/field-errors.js";
import type { KubeObject, NameRule } from "../strategy.js";
import { goSliceValue } from "./go-value.js";
import {
  byteLength,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPathSegmentPrefix,
} from "./names.js";
import { isObj, list, num, type Obj, obj, semanticEqual, str, strList } from "./shape.js";

export const FIELD_IMMUTABLE = "field is immutable";
export const IS_NEGATIVE = "must be greater than or equal to 0";
export const TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

/** A name rule, plus DNS-1035 labels (Services). */
export type NameFormat = NameRule;

/** Checks a name (or, with prefix, a generateName) by the given rule. */
export function checkName(name: string, opts: { rule: NameFormat; prefix?: boolean }): string[] {
  let n = name;
  // A generateName may end in '-': mask it the way upstream does.
  if (opts.prefix === true && opts.rule !== "path-segment" && n.length > 1 && n.endsWith("-")) {
    n = `${n.slice(0, -2)}a`;
  }
  switch (opts.rule) {
    case "label":
      return isDNS1123Label(n);
    case "dns1035-label":
      return isDNS1035Label(n);
    case "path-segment":
      return opts.prefix === true ? isValidPathSegmentPrefix(n) : isValidPathSegmentName(n);
    default:
      return isDNS1123Subdomain(n);
  }
}

export function validateNonnegative(value: unknown, p: FieldPath): FieldError[] {
  const n = num(value);
  return n !== undefined && n < 0 ? [invalid(p, n, IS_NEGATIVE)] : [];
}

export function validateImmutable(next: unknown, old: unknown, p: FieldPath): FieldError[] {
  return semanticEqual(next, old) ? [] : [invalid(p, next ?? null, FIELD_IMMUTABLE)];
}

export function validateLabelName(key: string, p: FieldPath): FieldError[] {
  return isQualifiedName(key).map((m) => invalid(p, key, m));
}

export function validateLabels(labels: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(labels)) return errs;
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...validateLabelName(k, p));
    for (const m of isValidLabelValue(str(v))) errs.push(invalid(p, str(v), m));
  }
  return errs;
}

export function validateAnnotations(annotations: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (!isObj(annotations)) return errs;
  let total = 0;
  for (const [k, v] of Object.entries(annotations)) {
    for (const m of isQualifiedName(k.toLowerCase())) errs.push(invalid(p, k, m));
    total += byteLength(k) + byteLength(str(v));
  }
  if (total > TOTAL_ANNOTATION_SIZE_LIMIT) errs.push(tooLong(p, "", TOTAL_ANNOTATION_SIZE_LIMIT));
  return errs;
}

const STANDARD_FINALIZERS = new Set(["kubernetes", "orphan", "foregroundDeletion"]);

function validateFinalizers(finalizers: string[], p: FieldPath, standard: boolean): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of finalizers) for (const m of isQualifiedName(f)) errs.push(invalid(p, f, m));
  if (finalizers.includes("orphan") && finalizers.includes("foregroundDeletion")) {
    errs.push(
      invalid(
        p,
        goSliceValue(finalizers),
        "finalizer orphan and foregroundDeletion cannot be both set",
      ),
    );
  }
  if (standard) errs.push(...validateKubeFinalizers(finalizers, p));
  return errs;
}

/** Core's extra rule: a finalizer without a domain must be a standard one. */
export function validateKubeFinalizers(finalizers: string[], p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  finalizers.forEach((f, i) => {
    for (const m of isQualifiedName(f)) errs.push(invalid(p.index(i), f, m));
    if (!f.includes("/") && !STANDARD_FINALIZERS.has(f)) {
      errs.push(
        invalid(
          p.index(i),
          f,
          "name is neither a standard finalizer name nor is it fully qualified",
        ),
      );
    }
  });
  return errs;
}

function validateOwnerReferences(refs: unknown, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  let firstController = "";
  for (const raw of list(refs)) {
    const ref = obj(raw);
    const apiVersion = str(ref.apiVersion);
    const version = apiVersion.includes("/")
      ? apiVersion.slice(apiVersion.indexOf("/") + 1)
      : apiVersion;
    const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
    if (version.length === 0 || apiVersion.split("/").length > 2) {
      errs.push(invalid(p.child("apiVersion"), apiVersion, "version must not be empty"));
    }
    if (str(ref.kind).length === 0) {
      errs.push(invalid(p.child("kind"), str(ref.kind), "kind must not be empty"));
    }
    if (str(ref.name).length === 0) {
      errs.push(invalid(p.child("name"), str(ref.name), "name must not be empty"));
    }
    if (str(ref.uid).length === 0) {
      errs.push(invalid(p.child("uid"), str(ref.uid), "uid must not be empty"));
    }
    if (group === "" && version === "v1" && ref.kind === "Event") {
      errs.push(invalid(p, ref, "/v1, Kind=Event is disallowed from being an owner"));
    }
    if (ref.controller === true) {
      const name = `${str(ref.kind)}/${str(ref.name)}`;
      if (firstController !== "") {
        errs.push(
          invalid(
            p,
            refs,
            `Only one reference can have Controller set to true. Found "true" in references for ${firstController} and ${name}`,
          ),
        );
      } else {
        firstController = name;
      }
    }
  }
  return errs;
}

export interface ObjectMetaOptions {
  /** Whether the kind lives in a namespace (namespace required) or not (namespace forbidden). */
  namespaced: boolean;
  /** How metadata.name is checked. */
  nameRule: NameFormat;
  /** Apply core's rule that domain-less finalizers be standard ones (default true; built-in kinds). */
  standardFinalizers?: boolean;
}

function metaOf(o: KubeObject): Obj {
  return obj(o.metadata);
}

/** Upstream's ValidateObjectMeta for a create. Expects generateName to have been applied. */
export function validateObjectMeta(o: KubeObject, opts: ObjectMetaOptions): FieldError[] {
  const m = metaOf(o);
  const p = path("metadata");
  const errs: FieldError[] = [];
  const generateName = str(m.generateName);
  if (generateName.length > 0) {
    for (const msg of checkName(generateName, { rule: opts.nameRule, prefix: true })) {
      errs.push(invalid(p.child("generateName"), generateName, msg));
    }
  }
  const name = str(m.name);
  if (name.length === 0) {
    errs.push(required(p.child("name"), "name or generateName is required"));
  } else {
    for (const msg of checkName(name, { rule: opts.nameRule })) {
      errs.push(invalid(p.child("name"), name, msg));
    }
  }
  const ns = str(m.namespace);
  if (opts.namespaced) {
    if (ns.length === 0) errs.push(required(p.child("namespace")));
    else for (const msg of isDNS1123Label(ns)) errs.push(invalid(p.child("namespace"), ns, msg));
  } else if (ns.length > 0) {
    errs.push(forbidden(p.child("namespace"), "not allowed on this type"));
  }
  errs.push(...validateNonnegative(m.generation, p.child("generation")));
  errs.push(...validateLabels(m.labels, p.child("labels")));
  errs.push(...validateAnnotations(m.annotations, p.child("annotations")));
  errs.push(...validateOwnerReferences(m.ownerReferences, p.child("ownerReferences")));
  errs.push(
    ...validateFinalizers(
      strList(m.finalizers),
      p.child("finalizers"),
      opts.standardFinalizers ?? true,
    ),
  );
  return errs;
}

/** Upstream's ValidateObjectMetaUpdate: identity fields are immutable. */
export function validateObjectMetaUpdate(
  o: KubeObject,
  old: KubeObject,
  opts: { standardFinalizers?: boolean; requireResourceVersion?: boolean } = {},
): FieldError[] {
  const m = metaOf(o);
  const om = metaOf(old);
  const p = path("metadata");
  const errs: FieldError[] = [];
  if (om.deletionTimestamp !== undefined && om.deletionTimestamp !== null) {
    const before = new Set(strList(om.finalizers));
    const extra = [...new Set(strList(m.finalizers))].filter((f) => !before.has(f)).sort();
    if (extra.length > 0) {
      errs.push(
        forbidden(
          p.child("finalizers"),
          `no new finalizers can be added if the object is being deleted, found new finalizers []string{${extra.map((f) => JSON.stringify(f)).join(", ")}}`,
        ),
      );
    }
  }
  // Upstream's store copies the stored resourceVersion into unconditional updates
  // before validating, so this only fires for callers that opt in.
  if (opts.requireResourceVersion === true && str(m.resourceVersion).length === 0) {
    errs.push(invalid(p.child("resourceVersion"), "", "must be specified for an update"));
  }
  const gen = num(m.generation) ?? 0;
  if (gen < (num(om.generation) ?? 0)) {
    errs.push(invalid(p.child("generation"), gen, "must not be decremented"));
  }
  for (const f of [
    "name",
    "namespace",
    "uid",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
  ]) {
    errs.push(...validateImmutable(m[f], om[f], p.child(f)));
  }
  errs.push(...validateLabels(m.labels, p.child("labels")));
  errs.push(...validateAnnotations(m.annotations, p.child("annotations")));
  errs.push(...validateOwnerReferences(m.ownerReferences, p.child("ownerReferences")));
  if (opts.standardFinalizers ?? true) {
    errs.push(...validateKubeFinalizers(strList(m.finalizers), p.child("finalizers")));
  }
  return errs;
}
