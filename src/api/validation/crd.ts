/**
 * CustomResourceDefinition validation, after upstream's
 * apiextensions-apiserver pkg/apis/apiextensions/validation: the name is
 * `<plural>.<group>`, the group a domain, the scope Namespaced or Cluster,
 * names DNS-1035 labels (kinds in any case), exactly one storage version,
 * unique version names, a structural schema per version (required in v1),
 * and status.storedVersions consistent with spec.versions. Updates keep
 * group and plural, and once Established also scope and kind.
 */
import {
  type FieldError,
  type FieldPath,
  forbidden,
  invalid,
  notSupported,
  path,
  required,
} from "../../machinery/field-errors.js";
import type { KubeObject } from "../strategy.js";
import { validateImmutable } from "./metadata.js";
import { isDNS1035Label, isDNS1123Subdomain } from "./names.js";
import { isObj, type Obj, obj, objList, str, strList } from "./shape.js";

const SCOPES = ["Cluster", "Namespaced"];
const CONVERSION_STRATEGIES = ["None", "Webhook"];
const COLUMN_TYPES = ["boolean", "date", "integer", "number", "string"];

export function validateCustomResourceDefinition(crd: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const name = str(crd.metadata?.name);
  if (name !== `${str(names.plural)}.${str(spec.group)}`) {
    errs.push(invalid(path("metadata", "name"), name, 'must be spec.names.plural+"."+spec.group'));
  }
  errs.push(...validateSpec(spec, path("spec")));
  errs.push(...validateStatus(crd));
  return errs;
}

export function validateCustomResourceDefinitionUpdate(
  crd: KubeObject,
  old: KubeObject,
): FieldError[] {
  const spec = obj(crd.spec);
  const oldSpec = obj(old.spec);
  const errs: FieldError[] = [];
  if (isEstablished(old)) {
    errs.push(...validateImmutable(spec.scope, oldSpec.scope, path("spec", "scope")));
    errs.push(
      ...validateImmutable(
        obj(spec.names).kind,
        obj(oldSpec.names).kind,
        path("spec", "names", "kind"),
      ),
    );
  }
  errs.push(...validateImmutable(spec.group, oldSpec.group, path("spec", "group")));
  errs.push(
    ...validateImmutable(
      obj(spec.names).plural,
      obj(oldSpec.names).plural,
      path("spec", "names", "plural"),
    ),
  );
  return errs;
}

/** Status updates: accepted names well formed, storedVersions consistent with spec.versions. */
export function validateCustomResourceDefinitionStatusUpdate(
  crd: KubeObject,
  _old: KubeObject,
): FieldError[] {
  return validateStatus(crd);
}

function isEstablished(crd: KubeObject): boolean {
  return objList(obj(crd.status).conditions).some(
    (c) => c.type === "Established" && c.status === "True",
  );
}

function validateSpec(spec: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const group = str(spec.group);
  if (group === "") {
    errs.push(required(p.child("group"), ""));
  } else {
    const bad = isDNS1123Subdomain(group);
    if (bad.length > 0) errs.push(invalid(p.child("group"), group, bad.join(",")));
    if (group.split(".").length < 2) {
      errs.push(invalid(p.child("group"), group, "should be a domain with at least one dot"));
    }
  }
  const scope = str(spec.scope);
  if (scope === "") errs.push(required(p.child("scope"), ""));
  else if (!SCOPES.includes(scope)) errs.push(notSupported(p.child("scope"), scope, SCOPES));

  const versions = objList(spec.versions);
  let storageCount = 0;
  const seen = new Set<string>();
  let unique = true;
  versions.forEach((v, i) => {
    const vp = p.child("versions").index(i);
    if (v.storage === true) storageCount++;
    const vname = str(v.name);
    if (seen.has(vname)) unique = false;
    seen.add(vname);
    const bad = isDNS1035Label(vname);
    if (bad.length > 0) errs.push(invalid(vp.child("name"), vname, bad.join(",")));
    errs.push(...validateVersion(v, vp));
  });
  if (!unique)
    errs.push(invalid(p.child("versions"), spec.versions, "must contain unique version names"));
  if (storageCount !== 1) {
    errs.push(
      invalid(
        p.child("versions"),
        spec.versions ?? [],
        "must have exactly one version marked as storage version",
      ),
    );
  }
  if (spec.preserveUnknownFields === true) {
    errs.push(
      invalid(
        p.child("preserveUnknownFields"),
        true,
        "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead",
      ),
    );
  }
  errs.push(...validateNames(obj(spec.names), p.child("names")));
  errs.push(...validateConversion(spec.conversion, p.child("conversion")));
  return errs;
}

function validateVersion(v: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const schema = obj(v.schema).openAPIV3Schema;
  const sp = p.child("schema", "openAPIV3Schema");
  if (!isObj(schema)) errs.push(required(sp, "schemas are required"));
  else errs.push(...validateStructural(schema, sp, true));
  const sub = obj(v.subresources);
  if (isObj(sub.scale)) {
    const sc = sub.scale;
    const scp = p.child("subresources", "scale");
    const specPath = str(sc.specReplicasPath);
    if (specPath === "") errs.push(required(scp.child("specReplicasPath"), ""));
    else if (!specPath.startsWith(".spec."))
      errs.push(
        invalid(scp.child("specReplicasPath"), specPath, "should be a json path under .spec"),
      );
    const statusPath = str(sc.statusReplicasPath);
    if (statusPath === "") errs.push(required(scp.child("statusReplicasPath"), ""));
    else if (!statusPath.startsWith(".status."))
      errs.push(
        invalid(scp.child("statusReplicasPath"), statusPath, "should be a json path under .status"),
      );
    const selector = str(sc.labelSelectorPath);
    if (selector !== "" && !selector.startsWith(".spec.") && !selector.startsWith(".status.")) {
      errs.push(
        invalid(
          scp.child("labelSelectorPath"),
          selector,
          "should be a json path under either .spec or .status",
        ),
      );
    }
  }
  objList(v.additionalPrinterColumns).forEach((c, i) => {
    const cp = p.child("additionalPrinterColumns").index(i);
    if (str(c.name) === "") errs.push(required(cp.child("name"), ""));
    const type = str(c.type);
    if (type === "") errs.push(required(cp.child("type"), ""));
    else if (!COLUMN_TYPES.includes(type))
      errs.push(notSupported(cp.child("type"), type, COLUMN_TYPES));
    if (str(c.jsonPath) === "") errs.push(required(cp.child("JSONPath"), ""));
  });
  return errs;
}

/**
 * The structural-schema rules kubectl users meet first: a type at the root
 * (object) and on every node that declares properties or items, unless it
 * preserves unknown fields or is int-or-string.
 */
function validateStructural(s: Obj, p: FieldPath, root: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(s.type);
  const free =
    s["x-kubernetes-preserve-unknown-fields"] === true || s["x-kubernetes-int-or-string"] === true;
  if (root) {
    if (type === "") errs.push(required(p.child("type"), "must not be empty at the root"));
    else if (type !== "object")
      errs.push(invalid(p.child("type"), type, "must be object at the root"));
  } else if (type === "" && !free) {
    if (isObj(s.properties))
      errs.push(required(p.child("type"), "must not be empty for specified object fields"));
    else if (isObj(s.items))
      errs.push(required(p.child("type"), "must not be empty for specified array items"));
  }
  if (isObj(s.properties)) {
    for (const [k, child] of Object.entries(s.properties)) {
      if (isObj(child))
        errs.push(...validateStructural(child, p.child("properties").key(k), false));
    }
  }
  if (isObj(s.items)) errs.push(...validateStructural(s.items, p.child("items"), false));
  if (isObj(s.additionalProperties)) {
    errs.push(
      ...validateStructural(s.additionalProperties, p.child("additionalProperties"), false),
    );
  }
  return errs;
}

function validateNames(names: Obj, p: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const label = (field: string, value: string, prefix = "") => {
    const bad = isDNS1035Label(value);
    if (value !== "" && bad.length > 0)
      errs.push(invalid(p.child(field), value, prefix + bad.join(",")));
  };
  const plural = str(names.plural);
  if (plural === "") errs.push(required(p.child("plural"), ""));
  label("plural", plural);
  label("singular", str(names.singular));
  const kind = str(names.kind);
  const mixed = "may have mixed case, but should otherwise match: ";
  if (kind === "") errs.push(required(p.child("kind"), ""));
  else {
    const bad = isDNS1035Label(kind.toLowerCase());
    if (bad.length > 0) errs.push(invalid(p.child("kind"), kind, mixed + bad.join(",")));
  }
  const listKind = str(names.listKind);
  if (listKind === "") errs.push(required(p.child("listKind"), ""));
  else {
    const bad = isDNS1035Label(listKind.toLowerCase());
    if (bad.length > 0) errs.push(invalid(p.child("listKind"), listKind, mixed + bad.join(",")));
  }
  if (kind !== "" && kind === listKind) {
    errs.push(invalid(p.child("listKind"), listKind, "kind and listKind may not be the same"));
  }
  strList(names.shortNames).forEach((s, i) => {
    const bad = isDNS1035Label(s);
    if (bad.length > 0) errs.push(invalid(p.child("shortNames").index(i), s, bad.join(",")));
  });
  strList(names.categories).forEach((c, i) => {
    const bad = isDNS1035Label(c);
    if (bad.length > 0) errs.push(invalid(p.child("categories").index(i), c, bad.join(",")));
  });
  return errs;
}

function validateConversion(v: unknown, p: FieldPath): FieldError[] {
  if (!isObj(v)) return [];
  const errs: FieldError[] = [];
  const strategy = str(v.strategy);
  if (strategy === "") errs.push(required(p.child("strategy"), ""));
  else if (!CONVERSION_STRATEGIES.includes(strategy))
    errs.push(notSupported(p.child("strategy"), strategy, CONVERSION_STRATEGIES));
  if (strategy === "None" && isObj(v.webhook)) {
    errs.push(
      forbidden(p.child("webhook"), "should not be set when strategy is not set to Webhook"),
    );
  }
  if (strategy === "Webhook") {
    const webhook = obj(v.webhook);
    if (!isObj(webhook.clientConfig)) {
      errs.push(
        required(p.child("webhook", "clientConfig"), "required when strategy is set to Webhook"),
      );
    }
    if (strList(webhook.conversionReviewVersions).length === 0) {
      errs.push(required(p.child("webhook", "conversionReviewVersions"), ""));
    }
  }
  return errs;
}

/** ValidateCustomResourceDefinitionStoredVersions, on status.storedVersions. */
function validateStatus(crd: KubeObject): FieldError[] {
  const status = obj(crd.status);
  const p = path("status", "storedVersions");
  const stored = strList(status.storedVersions);
  if (stored.length === 0) {
    return [invalid(p, status.storedVersions ?? [], "must have at least one stored version")];
  }
  const errs: FieldError[] = [];
  const remaining = new Map<string, number>();
  stored.forEach((v, i) => {
    remaining.set(v, i);
  });
  for (const v of objList(obj(crd.spec).versions)) {
    const name = str(v.name);
    const present = remaining.has(name);
    if (v.storage === true && !present)
      errs.push(invalid(p, v, `must have the storage version ${name}`));
    remaining.delete(name);
  }
  for (const [v, i] of remaining) errs.push(invalid(p.index(i), v, "must appear in spec.versions"));
  return errs;
}
