/** rbac.authorization.k8s.io/v1: Role, ClusterRole, RoleBinding, ClusterRoleBinding. */
import {
  type FieldError,
  type FieldPath,
  invalid,
  notSupported,
  path,
  required,
} from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { goSliceValue, goValue } from "./go-value.js";
import { isDNS1123Subdomain, isValidPathSegmentName } from "./names.js";
import { validateLabelSelector } from "./selector.js";
import { isObj, type Obj, obj, objList, str, strList } from "./shape.js";

export const RBAC_GROUP = "rbac.authorization.k8s.io";

function validatePolicyRule(rule: Obj, p: FieldPath, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  if (strList(rule.verbs).length === 0)
    errs.push(required(p.child("verbs"), "verbs must contain at least one value"));
  const urls = strList(rule.nonResourceURLs);
  if (urls.length > 0) {
    if (namespaced) {
      errs.push(
        invalid(
          p.child("nonResourceURLs"),
          goSliceValue(urls),
          "namespaced rules cannot apply to non-resource URLs",
        ),
      );
    }
    if (
      strList(rule.apiGroups).length > 0 ||
      strList(rule.resources).length > 0 ||
      strList(rule.resourceNames).length > 0
    ) {
      errs.push(
        invalid(
          p.child("nonResourceURLs"),
          goSliceValue(urls),
          "rules cannot apply to both regular resources and non-resource URLs",
        ),
      );
    }
    return errs;
  }
  if (!Array.isArray(rule.apiGroups) || rule.apiGroups.length === 0) {
    errs.push(required(p.child("apiGroups"), "resource rules must supply at least one api group"));
  }
  if (strList(rule.resources).length === 0) {
    errs.push(required(p.child("resources"), "resource rules must supply at least one resource"));
  }
  return errs;
}

export function validateRole(role: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objList(role.rules).forEach((r, i) => {
    errs.push(...validatePolicyRule(r, path("rules").index(i), true));
  });
  return errs;
}

export function validateClusterRole(role: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  objList(role.rules).forEach((r, i) => {
    errs.push(...validatePolicyRule(r, path("rules").index(i), false));
  });
  if (isObj(role.aggregationRule)) {
    const sels = objList(role.aggregationRule.clusterRoleSelectors);
    const ap = path("aggregationRule", "clusterRoleSelectors");
    if (sels.length === 0) {
      errs.push(
        required(ap, "at least one clusterRoleSelector required if aggregationRule is non-nil"),
      );
    }
    sels.forEach((s, i) => {
      errs.push(...validateLabelSelector(s, ap.index(i)));
    });
  }
  return errs;
}

function validateSubject(s: Obj, p: FieldPath, namespaced: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = str(s.name);
  const apiGroup = str(s.apiGroup);
  if (name.length === 0) errs.push(required(p.child("name")));
  switch (str(s.kind)) {
    case "ServiceAccount":
      if (name.length > 0)
        for (const m of isDNS1123Subdomain(name)) errs.push(invalid(p.child("name"), name, m));
      if (apiGroup.length > 0) errs.push(notSupported(p.child("apiGroup"), apiGroup, [""]));
      if (!namespaced && str(s.namespace).length === 0) errs.push(required(p.child("namespace")));
      break;
    case "User":
    case "Group":
      if (apiGroup !== RBAC_GROUP)
        errs.push(notSupported(p.child("apiGroup"), apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(p.child("kind"), str(s.kind), ["ServiceAccount", "User", "Group"]));
  }
  return errs;
}

function validateBinding(
  b: KubeObject,
  opts: { namespaced: boolean; kinds: readonly string[] },
): FieldError[] {
  const errs: FieldError[] = [];
  const ref = obj(b.roleRef);
  const apiGroup = str(ref.apiGroup);
  if (apiGroup !== RBAC_GROUP)
    errs.push(notSupported(path("roleRef", "apiGroup"), apiGroup, [RBAC_GROUP]));
  const kind = str(ref.kind);
  if (!opts.kinds.includes(kind))
    errs.push(notSupported(path("roleRef", "kind"), kind, opts.kinds));
  const name = str(ref.name);
  if (name.length === 0) errs.push(required(path("roleRef", "name")));
  else
    for (const m of isValidPathSegmentName(name))
      errs.push(invalid(path("roleRef", "name"), name, m));
  objList(b.subjects).forEach((s, i) => {
    errs.push(...validateSubject(s, path("subjects").index(i), opts.namespaced));
  });
  return errs;
}

export function validateRoleBinding(b: KubeObject): FieldError[] {
  return validateBinding(b, { namespaced: true, kinds: ["Role", "ClusterRole"] });
}

export function validateClusterRoleBinding(b: KubeObject): FieldError[] {
  return validateBinding(b, { namespaced: false, kinds: ["ClusterRole"] });
}

function roleRefValue(ref: Obj) {
  const text = `rbac.RoleRef{APIGroup:${JSON.stringify(str(ref.apiGroup))}, Kind:${JSON.stringify(str(ref.kind))}, Name:${JSON.stringify(str(ref.name))}}`;
  return goValue(ref, text);
}

/** roleRef may never change: a new binding is the way to point elsewhere. */
export function validateRoleRefUnchanged(b: KubeObject, old: KubeObject): FieldError[] {
  const ref = obj(b.roleRef);
  const oldRef = obj(old.roleRef);
  const same = ["apiGroup", "kind", "name"].every((k) => str(ref[k]) === str(oldRef[k]));
  return same ? [] : [invalid(path("roleRef"), roleRefValue(ref), "cannot change roleRef")];
}
