/**
 * The authorization.k8s.io/v1 reviews, as upstream's
 * pkg/registry/authorization/{selfsubjectaccessreview,subjectaccessreview,
 * localsubjectaccessreview,selfsubjectrulesreview}: what a review asks,
 * validated as pkg/apis/authorization/validation does, turned into the
 * request an Authorizer decides (pkg/registry/authorization/util), and the
 * status built from the answer. Pure: the HTTP side is
 * handlers/access-reviews.ts.
 */
import type { PolicyRule } from "kubernetes-types/rbac/v1.js";
import {
  type FieldError,
  GO_SYNTAX,
  invalid,
  path,
  required,
} from "../../machinery/field-errors.js";
import { type Authorizer, allowAllAuthorizer } from "../authz.js";
import type { RequestInfo, RequestVerb } from "../http/request-info.js";
import type { UserInfo } from "../registry/context.js";
import { badRequest } from "../status.js";
import type { RuleResolver } from "./types.js";

export interface ResourceAttributesSpec {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
  fieldSelector?: SelectorAttributes;
  labelSelector?: SelectorAttributes;
}

export interface SelectorAttributes {
  rawSelector?: string;
  requirements?: unknown[];
}

export interface NonResourceAttributesSpec {
  path?: string;
  verb?: string;
}

/** SelfSubjectAccessReviewSpec, and SubjectAccessReviewSpec with the subject fields. */
export interface AccessReviewSpec {
  resourceAttributes?: ResourceAttributesSpec;
  nonResourceAttributes?: NonResourceAttributesSpec;
  user?: string;
  groups?: string[];
  uid?: string;
  extra?: Record<string, string[]>;
}

export interface AccessReviewStatus {
  allowed: boolean;
  denied?: boolean;
  reason?: string;
  evaluationError?: string;
}

export interface ResourceRule {
  verbs: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
}

export interface NonResourceRule {
  verbs: string[];
  nonResourceURLs?: string[];
}

export interface RulesReviewStatus {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
  incomplete: boolean;
  evaluationError?: string;
}

// ---------------------------------------------------------------------------
// Decoding: the body into the spec, with Go's typed-decoding errors (400).

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);

function goType(v: unknown): string {
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  return "object";
}

function typeError(v: unknown, goKind: string, field: string): never {
  throw badRequest(
    `json: cannot unmarshal ${goType(v)} into Go struct field ${field} of type ${goKind}`,
  );
}

function str(o: Obj, key: string, where: string): string | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") typeError(v, "string", `${where}.${key}`);
  return v;
}

function strings(o: Obj, key: string, where: string): string[] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string"))
    typeError(v, "[]string", `${where}.${key}`);
  return v as string[];
}

function obj(o: Obj, key: string, goKind: string, where: string): Obj | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) typeError(v, goKind, `${where}.${key}`);
  return v;
}

/** Copies the string fields that are set and non-empty (Go's omitempty on the way out). */
function pickStrings<K extends string>(
  o: Obj,
  keys: readonly K[],
  where: string,
): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const k of keys) {
    const v = str(o, k, where);
    if (v !== undefined && v !== "") out[k] = v;
  }
  return out;
}

function selector(o: Obj, key: string, where: string): SelectorAttributes | undefined {
  const s = obj(
    o,
    key,
    `v1.${key === "fieldSelector" ? "Field" : "Label"}SelectorAttributes`,
    where,
  );
  if (s === undefined) return undefined;
  const out: SelectorAttributes = {};
  const raw = str(s, "rawSelector", `${where}.${key}`);
  if (raw !== undefined && raw !== "") out.rawSelector = raw;
  const reqs = s.requirements;
  if (reqs !== undefined && reqs !== null) {
    if (!Array.isArray(reqs)) typeError(reqs, "[]v1.SelectorRequirement", `${where}.${key}`);
    if (reqs.length > 0) out.requirements = reqs;
  }
  return out;
}

const RESOURCE_KEYS = [
  "namespace",
  "verb",
  "group",
  "version",
  "resource",
  "subresource",
  "name",
] as const;

export type AccessReviewKind =
  | "SelfSubjectAccessReview"
  | "SubjectAccessReview"
  | "LocalSubjectAccessReview";

/** The spec of an access review as the server reads it (subject fields for (Local)SubjectAccessReview). */
export function decodeAccessReviewSpec(body: unknown, kind: AccessReviewKind): AccessReviewSpec {
  const root = isObj(body) ? body : {};
  const subject = kind !== "SelfSubjectAccessReview";
  const specWhere = `${kind}.spec`;
  const specType = subject ? "v1.SubjectAccessReviewSpec" : "v1.SelfSubjectAccessReviewSpec";
  const spec = obj(root, "spec", specType, kind);
  const out: AccessReviewSpec = {};
  if (spec === undefined) return out;
  const ra = obj(spec, "resourceAttributes", "v1.ResourceAttributes", specWhere);
  if (ra !== undefined) {
    const where = `${specWhere}.resourceAttributes`;
    const attrs: ResourceAttributesSpec = pickStrings(ra, RESOURCE_KEYS, where);
    const fs = selector(ra, "fieldSelector", where);
    if (fs !== undefined) attrs.fieldSelector = fs;
    const ls = selector(ra, "labelSelector", where);
    if (ls !== undefined) attrs.labelSelector = ls;
    out.resourceAttributes = attrs;
  }
  const na = obj(spec, "nonResourceAttributes", "v1.NonResourceAttributes", specWhere);
  if (na !== undefined)
    out.nonResourceAttributes = pickStrings(
      na,
      ["path", "verb"],
      `${specWhere}.nonResourceAttributes`,
    );
  if (!subject) return out;
  const user = str(spec, "user", specWhere);
  if (user !== undefined && user !== "") out.user = user;
  const groups = strings(spec, "groups", specWhere);
  if (groups !== undefined && groups.length > 0) out.groups = groups;
  const uid = str(spec, "uid", specWhere);
  if (uid !== undefined && uid !== "") out.uid = uid;
  const extra = obj(spec, "extra", "map[string]v1.ExtraValue", specWhere);
  if (extra !== undefined) {
    const e: Record<string, string[]> = {};
    for (const k of Object.keys(extra)) e[k] = strings(extra, k, `${specWhere}.extra`) ?? [];
    if (Object.keys(e).length > 0) out.extra = e;
  }
  return out;
}

/** The metadata of a review body, if any (only its namespace may be set, and only on LocalSubjectAccessReview). */
export function decodeMetadata(body: unknown): Obj {
  if (!isObj(body)) return {};
  const m = body.metadata;
  if (m === undefined || m === null) return {};
  if (!isObj(m)) typeError(m, "v1.ObjectMeta", "metadata");
  return m;
}

// ---------------------------------------------------------------------------
// Validation (pkg/apis/authorization/validation).

/** How Go's %#v prints the bad values these errors carry. */
function goStruct(typeName: string, fields: Record<string, string | undefined>): object {
  const text = `${typeName}{${Object.entries(fields)
    .map(([k, v]) => `${k}:${JSON.stringify(v ?? "")}`)
    .join(", ")}}`;
  return { [GO_SYNTAX]: () => text, toJSON: () => text };
}

function goNonResource(a: NonResourceAttributesSpec): object {
  return goStruct("authorization.NonResourceAttributes", { Path: a.path, Verb: a.verb });
}

function goMap(m: unknown): string {
  if (!isObj(m) || Object.keys(m).length === 0) return "map[string]string(nil)";
  const entries = Object.keys(m)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(String(m[k]))}`);
  return `map[string]string{${entries.join(", ")}}`;
}

/** metav1.ObjectMeta as %#v shows it (the fields a client may set). */
function goObjectMeta(m: Obj): object {
  const s = (k: string) => JSON.stringify(typeof m[k] === "string" ? m[k] : "");
  const text =
    `v1.ObjectMeta{Name:${s("name")}, GenerateName:${s("generateName")}, Namespace:${s("namespace")}, ` +
    `SelfLink:${s("selfLink")}, UID:${s("uid")}, ResourceVersion:${s("resourceVersion")}, ` +
    `Generation:${typeof m.generation === "number" ? m.generation : 0}, ` +
    "CreationTimestamp:time.Date(1, time.January, 1, 0, 0, 0, 0, time.UTC), DeletionTimestamp:<nil>, " +
    `DeletionGracePeriodSeconds:(*int64)(nil), Labels:${goMap(m.labels)}, Annotations:${goMap(m.annotations)}, ` +
    "OwnerReferences:[]v1.OwnerReference(nil), Finalizers:[]string(nil), ManagedFields:[]v1.ManagedFieldsEntry(nil)}";
  return { [GO_SYNTAX]: () => text, toJSON: () => m };
}

/** Whether metadata carries anything besides managedFields (and, when allowed, namespace). */
function metadataSet(m: Obj, allowNamespace: boolean): boolean {
  return Object.entries(m).some(([k, v]) => {
    if (k === "managedFields" || (allowNamespace && k === "namespace")) return false;
    if (v === null || v === undefined || v === "" || v === 0) return false;
    if (Array.isArray(v)) return v.length > 0;
    if (isObj(v)) return Object.keys(v).length > 0;
    return true;
  });
}

function validateSelector(s: SelectorAttributes | undefined, fld: string): FieldError[] {
  if (s === undefined) return [];
  const errs: FieldError[] = [];
  const hasRaw = s.rawSelector !== undefined;
  const hasReqs = s.requirements !== undefined;
  if (hasRaw && hasReqs)
    errs.push(
      invalid(
        path(fld, "rawSelector"),
        s.rawSelector,
        "may not specified at the same time as requirements",
      ),
    );
  if (!hasRaw && !hasReqs)
    errs.push(
      required(
        path(fld, "requirements"),
        `when ${fld} is specified, requirements or rawSelector is required`,
      ),
    );
  return errs;
}

function validateAttributesUnion(spec: AccessReviewSpec): FieldError[] {
  const errs: FieldError[] = [];
  if (spec.resourceAttributes !== undefined && spec.nonResourceAttributes !== undefined)
    errs.push(
      invalid(
        path("spec", "nonResourceAttributes"),
        goNonResource(spec.nonResourceAttributes),
        "cannot be specified in combination with resourceAttributes",
      ),
    );
  if (spec.resourceAttributes === undefined && spec.nonResourceAttributes === undefined)
    errs.push(
      invalid(
        path("spec", "resourceAttributes"),
        // Go prints the nil *NonResourceAttributes it passes as "null".
        "null",
        "exactly one of nonResourceAttributes or resourceAttributes must be specified",
      ),
    );
  return errs;
}

function validateResourceAttributes(spec: AccessReviewSpec): FieldError[] {
  const ra = spec.resourceAttributes;
  if (ra === undefined) return [];
  return [
    ...validateSelector(ra.fieldSelector, "spec.resourceAttributes.fieldSelector"),
    ...validateSelector(ra.labelSelector, "spec.resourceAttributes.labelSelector"),
  ];
}

function validateSubjectSpec(spec: AccessReviewSpec): FieldError[] {
  const errs = validateAttributesUnion(spec);
  if (spec.user === undefined && spec.groups === undefined)
    errs.push(
      invalid(
        path("spec", "user"),
        spec.user ?? "",
        "at least one of user or group must be specified",
      ),
    );
  return [...errs, ...validateResourceAttributes(spec)];
}

/** ValidateSelfSubjectAccessReview. */
export function validateSelfSubjectAccessReview(
  spec: AccessReviewSpec,
  metadata: Obj,
): FieldError[] {
  const errs = [...validateAttributesUnion(spec), ...validateResourceAttributes(spec)];
  if (metadataSet(metadata, false))
    errs.push(invalid(path("metadata"), goObjectMeta(metadata), "must be empty"));
  return errs;
}

/** ValidateSubjectAccessReview. */
export function validateSubjectAccessReview(spec: AccessReviewSpec, metadata: Obj): FieldError[] {
  const errs = validateSubjectSpec(spec);
  if (metadataSet(metadata, false))
    errs.push(invalid(path("metadata"), goObjectMeta(metadata), "must be empty"));
  return errs;
}

/** ValidateLocalSubjectAccessReview: `namespace` is the object's (the request path's). */
export function validateLocalSubjectAccessReview(
  spec: AccessReviewSpec,
  metadata: Obj,
  namespace: string,
): FieldError[] {
  const errs = validateSubjectSpec(spec);
  if (metadataSet(metadata, true))
    errs.push(
      invalid(path("metadata"), goObjectMeta(metadata), "must be empty except for namespace"),
    );
  const ra = spec.resourceAttributes;
  if (ra !== undefined && (ra.namespace ?? "") !== namespace)
    errs.push(
      invalid(
        path("spec", "resourceAttributes", "namespace"),
        ra.namespace ?? "",
        "must match metadata.namespace",
      ),
    );
  if (spec.nonResourceAttributes !== undefined)
    errs.push(
      invalid(
        path("spec", "nonResourceAttributes"),
        goNonResource(spec.nonResourceAttributes),
        "disallowed on this kind of request",
      ),
    );
  return errs;
}

// ---------------------------------------------------------------------------
// Attributes: what the Authorizer is asked (util.ResourceAttributesFrom,
// NonResourceAttributesFrom, AuthorizationAttributesFrom).

function pathSegments(p: string): string[] {
  return p
    .split("/")
    .filter((s) => s.length > 0)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
}

/**
 * The request a review asks about, in the shape the Authorizer takes. The
 * verb is passed as written (RBAC matches any verb: use, bind, escalate, *);
 * an empty version means every version ("*"), as upstream's
 * matchAllVersionIfEmpty.
 */
export function requestInfoFor(spec: AccessReviewSpec): RequestInfo {
  const ra = spec.resourceAttributes;
  if (ra !== undefined) {
    const group = ra.group ?? "";
    const version = ra.version ?? "*";
    const namespace = ra.namespace ?? "";
    const resource = ra.resource ?? "";
    const name = ra.name ?? "";
    const subresource = ra.subresource ?? "";
    const parts = [group === "" ? "/api" : `/apis/${group}`, version];
    if (namespace !== "") parts.push("namespaces", namespace);
    parts.push(resource);
    if (name !== "") parts.push(name);
    if (subresource !== "") parts.push(subresource);
    return {
      isResource: true,
      verb: (ra.verb ?? "") as RequestVerb,
      group,
      version,
      namespace,
      resource,
      name,
      subresource,
      path: parts.join("/"),
    };
  }
  const na = spec.nonResourceAttributes ?? {};
  const p = na.path ?? "";
  return { isResource: false, verb: na.verb ?? "", path: p, segments: pathSegments(p) };
}

/** The user a SubjectAccessReview asks about: spec.user, groups, uid and extra as given. */
export function subjectOf(spec: AccessReviewSpec): UserInfo {
  return {
    name: spec.user ?? "",
    groups: spec.groups ?? [],
    ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
    ...(spec.extra !== undefined ? { extra: spec.extra } : {}),
  };
}

/** A Decision as some authorizers may extend it (an explicit deny, an evaluation error). */
interface RichDecision {
  readonly allowed: boolean;
  readonly reason?: string;
  readonly denied?: boolean;
  readonly evaluationError?: string;
}

/** Asks the authorizer and builds SubjectAccessReviewStatus (omitempty fields left out). */
export async function decide(
  authz: Authorizer,
  user: UserInfo,
  spec: AccessReviewSpec,
): Promise<AccessReviewStatus> {
  let d: RichDecision;
  try {
    d = await authz.authorize(user, requestInfoFor(spec));
  } catch (err) {
    return { allowed: false, evaluationError: err instanceof Error ? err.message : String(err) };
  }
  const status: AccessReviewStatus = { allowed: d.allowed };
  if (!d.allowed && d.denied === true) status.denied = true;
  if (d.reason) status.reason = d.reason;
  if (d.evaluationError) status.evaluationError = d.evaluationError;
  return status;
}

// ---------------------------------------------------------------------------
// SelfSubjectRulesReview.

/**
 * PolicyRules as RBAC's RulesFor reports them: a rule with resources is a
 * resource rule, one with nonResourceURLs a non-resource rule (a rule with
 * both, which validation forbids, counts as both; one with neither as none).
 */
export function splitRules(rules: readonly PolicyRule[]): {
  resourceRules: ResourceRule[];
  nonResourceRules: NonResourceRule[];
} {
  const resourceRules: ResourceRule[] = [];
  const nonResourceRules: NonResourceRule[] = [];
  for (const rule of rules) {
    const verbs = [...(rule.verbs ?? [])];
    if ((rule.resources ?? []).length > 0) {
      const r: ResourceRule = { verbs };
      if ((rule.apiGroups ?? []).length > 0) r.apiGroups = [...(rule.apiGroups ?? [])];
      r.resources = [...(rule.resources ?? [])];
      if ((rule.resourceNames ?? []).length > 0) r.resourceNames = [...(rule.resourceNames ?? [])];
      resourceRules.push(r);
    }
    if ((rule.nonResourceURLs ?? []).length > 0)
      nonResourceRules.push({
        verbs: [...verbs],
        nonResourceURLs: [...(rule.nonResourceURLs ?? [])],
      });
  }
  return { resourceRules, nonResourceRules };
}

/** Go's utilerrors.NewAggregate(...).Error(): one message bare, several deduplicated in brackets. */
function aggregate(errors: readonly string[]): string {
  const unique = [...new Set(errors)];
  return unique.length === 1 ? (unique[0] as string) : `[${unique.join(", ")}]`;
}

export function isRuleResolver(a: unknown): a is RuleResolver {
  return a !== null && typeof a === "object" && typeof (a as RuleResolver).rulesFor === "function";
}

/** What upstream's AlwaysAllow authorizer reports as a user's rules: everything. */
const EVERYTHING: RulesReviewStatus = {
  resourceRules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }],
  nonResourceRules: [{ verbs: ["*"], nonResourceURLs: ["*"] }],
  incomplete: false,
};

/**
 * SubjectRulesReviewStatus for a user in a namespace, from the authorizer's
 * rule resolver (or `resolver`, the RBAC rules behind an authorizer that
 * does not list them itself). An authorizer that cannot list rules gives none and says
 * the list is incomplete; the allow-all authorizer gives `*`, as
 * upstream's AlwaysAllow mode does. (system:masters users get `*` from RBAC's
 * cluster-admin binding: upstream's privileged-group authorizer lists no rules.)
 */
export function rulesReviewStatus(
  authz: Authorizer,
  user: UserInfo,
  namespace: string,
  resolver?: RuleResolver,
): RulesReviewStatus {
  if (authz === allowAllAuthorizer) return structuredClone(EVERYTHING);
  const rules = isRuleResolver(authz) ? authz : resolver;
  if (rules === undefined)
    return {
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: "the authorizer in use does not support user rule resolution",
    };
  let result: ReturnType<RuleResolver["rulesFor"]>;
  try {
    result = rules.rulesFor(user, namespace);
  } catch (err) {
    return {
      resourceRules: [],
      nonResourceRules: [],
      incomplete: true,
      evaluationError: err instanceof Error ? err.message : String(err),
    };
  }
  const status: RulesReviewStatus = { ...splitRules(result.rules), incomplete: result.incomplete };
  if (result.errors.length > 0) status.evaluationError = aggregate(result.errors);
  return status;
}
