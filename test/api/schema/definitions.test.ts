import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BUILTIN_RESOURCES } from "../../../src/api/resources.js";
import {
  DEFINITIONS,
  definitionForKind,
  definitionNameForKind,
  type SchemaObject,
} from "../../../src/api/schema/index.js";

function prop(defName: string, field: string): SchemaObject | undefined {
  return DEFINITIONS[defName]?.properties?.[field];
}

describe("generated definitions", () => {
  it("have a definition with the kind's group-version-kind for every built-in resource", () => {
    for (const d of BUILTIN_RESOURCES) {
      const gvk = { group: d.group, version: d.version, kind: d.kind };
      const def = definitionForKind(gvk);
      assert.ok(def, `no definition for ${d.group}/${d.version} ${d.kind}`);
      assert.ok(definitionForKind({ ...gvk, kind: `${d.kind}List` }), `no list for ${d.kind}`);
      assert.deepEqual(def["x-kubernetes-group-version-kind"], [gvk]);
      assert.equal(typeof def.description, "string");
    }
  });

  it("name definitions as upstream does", () => {
    assert.equal(
      definitionNameForKind({ group: "", version: "v1", kind: "Pod" }),
      "io.k8s.api.core.v1.Pod",
    );
    assert.equal(
      definitionNameForKind({ group: "apps", version: "v1", kind: "Deployment" }),
      "io.k8s.api.apps.v1.Deployment",
    );
    assert.equal(
      definitionNameForKind({ group: "rbac.authorization.k8s.io", version: "v1", kind: "Role" }),
      "io.k8s.api.rbac.v1.Role",
    );
    for (const name of [
      "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
      "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
      "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
      "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
      "io.k8s.apimachinery.pkg.apis.meta.v1.WatchEvent",
      "io.k8s.apimachinery.pkg.apis.meta.v1.APIResourceList",
      "io.k8s.apimachinery.pkg.apis.meta.v1.Table",
      "io.k8s.apimachinery.pkg.api.resource.Quantity",
      "io.k8s.apimachinery.pkg.util.intstr.IntOrString",
      "io.k8s.api.autoscaling.v1.Scale",
      "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.CustomResourceDefinition",
    ]) {
      assert.ok(DEFINITIONS[name], name);
    }
  });

  it("carry the strategic merge keys of containers and their ports", () => {
    const containers = prop("io.k8s.api.core.v1.PodSpec", "containers");
    assert.equal(containers?.["x-kubernetes-patch-merge-key"], "name");
    assert.equal(containers?.["x-kubernetes-patch-strategy"], "merge");
    assert.equal(containers?.["x-kubernetes-list-type"], "map");
    assert.deepEqual(containers?.["x-kubernetes-list-map-keys"], ["name"]);
    const ports = prop("io.k8s.api.core.v1.Container", "ports");
    assert.equal(ports?.["x-kubernetes-patch-merge-key"], "containerPort");
    assert.deepEqual(ports?.["x-kubernetes-list-map-keys"], ["containerPort", "protocol"]);
  });

  it("carry the other list facts upstream declares", () => {
    const cases: Array<[string, string, string | undefined, string | undefined]> = [
      ["io.k8s.api.core.v1.PodSpec", "volumes", "name", "merge,retainKeys"],
      ["io.k8s.api.core.v1.Container", "env", "name", "merge"],
      ["io.k8s.api.core.v1.Container", "volumeMounts", "mountPath", "merge"],
      ["io.k8s.api.core.v1.PodSpec", "imagePullSecrets", "name", "merge"],
      ["io.k8s.api.core.v1.ServiceSpec", "ports", "port", "merge"],
      ["io.k8s.api.apps.v1.DeploymentStatus", "conditions", "type", "merge"],
      ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "ownerReferences", "uid", "merge"],
      ["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers", undefined, "merge"],
      ["io.k8s.api.apps.v1.DeploymentSpec", "strategy", undefined, "retainKeys"],
      ["io.k8s.api.core.v1.PodSpec", "tolerations", undefined, undefined],
    ];
    for (const [def, field, key, strategy] of cases) {
      const p = prop(def, field);
      assert.ok(p, `${def}.${field}`);
      assert.equal(p["x-kubernetes-patch-merge-key"], key, `${def}.${field} merge key`);
      assert.equal(p["x-kubernetes-patch-strategy"], strategy, `${def}.${field} strategy`);
    }
    assert.equal(
      prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers")?.[
        "x-kubernetes-list-type"
      ],
      "set",
    );
    assert.equal(
      DEFINITIONS["io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector"]?.["x-kubernetes-map-type"],
      "atomic",
    );
  });

  it("give integers, timestamps, bytes and int-or-string their upstream formats", () => {
    const replicas = prop("io.k8s.api.apps.v1.DeploymentSpec", "replicas");
    assert.equal(replicas?.type, "integer");
    assert.equal(replicas?.format, "int32");
    assert.equal(prop("io.k8s.api.core.v1.PodSpec", "activeDeadlineSeconds")?.format, "int64");
    assert.equal(
      prop("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "generation")?.format,
      "int64",
    );
    assert.deepEqual(DEFINITIONS["io.k8s.apimachinery.pkg.apis.meta.v1.Time"]?.format, "date-time");
    assert.deepEqual(prop("io.k8s.api.core.v1.Secret", "data")?.additionalProperties, {
      type: "string",
      format: "byte",
    });
    assert.deepEqual(prop("io.k8s.api.core.v1.ContainerPort", "containerPort")?.format, "int32");
    assert.equal(
      prop("io.k8s.api.core.v1.ServicePort", "targetPort")?.$ref,
      "#/definitions/io.k8s.apimachinery.pkg.util.intstr.IntOrString",
    );
    const limits = prop("io.k8s.api.core.v1.ResourceRequirements", "limits");
    assert.deepEqual(limits?.additionalProperties, {
      $ref: "#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity",
    });
  });

  it("list required fields", () => {
    assert.deepEqual(DEFINITIONS["io.k8s.api.core.v1.PodSpec"]?.required, ["containers"]);
    assert.deepEqual(DEFINITIONS["io.k8s.api.apps.v1.DeploymentSpec"]?.required, [
      "selector",
      "template",
    ]);
  });

  it("include the fields Kubernetes v1.32 added after the types package", () => {
    assert.ok(prop("io.k8s.api.core.v1.Volume", "image"));
    assert.ok(prop("io.k8s.api.core.v1.PodSecurityContext", "supplementalGroupsPolicy"));
    assert.equal(prop("io.k8s.api.core.v1.PodResourceClaim", "source"), undefined);
  });

  it("resolve every reference", () => {
    const visit = (s: SchemaObject | undefined, where: string): void => {
      if (s === undefined) return;
      if (s.$ref !== undefined) {
        const name = s.$ref.replace("#/definitions/", "");
        assert.ok(DEFINITIONS[name], `${where} refers to missing ${name}`);
      }
      visit(s.items, where);
      if (typeof s.additionalProperties === "object") visit(s.additionalProperties, where);
      for (const [k, p] of Object.entries(s.properties ?? {})) visit(p, `${where}.${k}`);
    };
    for (const [name, def] of Object.entries(DEFINITIONS)) visit(def, name);
  });
});
