import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BUILTIN_RESOURCES } from "../../../src/api/resources.js";
import { openAPIHash } from "../../../src/apiserver/openapi/hash.js";
import { buildOpenAPIV2 } from "../../../src/apiserver/openapi/v2.js";
import { openAPIV3GroupVersion, openAPIV3Root } from "../../../src/apiserver/openapi/v3.js";

type Json = Record<string, unknown>;

/** Every `$ref` in a document, with the JSON path it appears at. */
function refsOf(doc: unknown, path = ""): Array<[string, string]> {
  if (Array.isArray(doc)) return doc.flatMap((v, i) => refsOf(v, `${path}[${i}]`));
  if (typeof doc !== "object" || doc === null) return [];
  const out: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(doc)) {
    if (k === "$ref" && typeof v === "string") out.push([path, v]);
    else out.push(...refsOf(v, `${path}/${k}`));
  }
  return out;
}

/** The operation at a path and method, failing the test when it is missing. */
function opAt(doc: Json, path: string, method: string): Json {
  const item = (doc.paths as Record<string, Json | undefined>)[path];
  const op = item?.[method] as Json | undefined;
  assert.ok(op, `no ${method} ${path}`);
  return op;
}

/** Follows a local `#/a/b` pointer, as kubectl's explain templates do. */
function resolvePointer(doc: Json, ref: string): unknown {
  let cur: unknown = doc;
  for (const part of ref.replace(/^#\//, "").split("/")) {
    cur = (cur as Json | undefined)?.[part];
  }
  return cur;
}

const v3 = (gv: string): Json => {
  const doc = openAPIV3GroupVersion(BUILTIN_RESOURCES, gv);
  assert.ok(doc, `no document for ${gv}`);
  return doc;
};

describe("OpenAPI v3", () => {
  it("lists every served group-version in the root with a hash in its URL", () => {
    const root = openAPIV3Root(BUILTIN_RESOURCES);
    for (const gv of ["api/v1", "apis/apps/v1", "apis/batch/v1", "apis/autoscaling/v2"]) {
      const url = root.paths[gv]?.serverRelativeURL;
      assert.match(url ?? "", new RegExp(`^/openapi/v3/${gv}\\?hash=[0-9A-F]{128}$`));
      assert.equal(url?.split("hash=")[1], openAPIHash(v3(gv)));
    }
  });

  it("builds the same document and hash every time", () => {
    const copy = [...BUILTIN_RESOURCES];
    assert.deepEqual(openAPIV3Root(copy), openAPIV3Root(BUILTIN_RESOURCES));
    assert.deepEqual(openAPIV3GroupVersion(copy, "apis/apps/v1"), v3("apis/apps/v1"));
  });

  it("answers undefined for a group-version nobody serves", () => {
    assert.equal(openAPIV3GroupVersion(BUILTIN_RESOURCES, "apis/example.com/v1"), undefined);
  });

  it("has a deployment PATCH operation that carries fieldValidation and strategic merge patch", () => {
    const doc = v3("apis/apps/v1");
    assert.equal(doc.openapi, "3.0.0");
    const paths = doc.paths as Record<string, Json>;
    const patch = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]?.patch as Json;
    assert.ok(patch);
    assert.deepEqual(patch["x-kubernetes-group-version-kind"], {
      group: "apps",
      kind: "Deployment",
      version: "v1",
    });
    assert.equal(patch["x-kubernetes-action"], "patch");
    const names = (patch.parameters as Json[]).map((p) => p.name);
    for (const name of ["fieldValidation", "dryRun", "fieldManager", "force"]) {
      assert.ok(names.includes(name), name);
    }
    const body = patch.requestBody as { content: Json };
    assert.ok(body.content["application/strategic-merge-patch+json"]);
    assert.ok(body.content["application/apply-patch+yaml"]);
  });

  it("gives every PATCH operation of a kind the fieldValidation parameter", () => {
    // kubectl stops at the first PATCH operation whose kind matches, in map order.
    for (const gv of Object.keys(openAPIV3Root(BUILTIN_RESOURCES).paths)) {
      for (const [path, item] of Object.entries(v3(gv).paths as Record<string, Json>)) {
        const patch = item.patch as Json | undefined;
        if (patch === undefined) continue;
        const names = (patch.parameters as Json[]).map((p) => p.name);
        assert.ok(names.includes("fieldValidation"), path);
        const content = (patch.requestBody as { content: Json }).content;
        assert.ok(content["application/strategic-merge-patch+json"], path);
      }
    }
  });

  it("lets explain find the kind's schema from its operations", () => {
    const doc = v3("apis/apps/v1");
    const paths = doc.paths as Record<string, Json>;
    const list = paths["/apis/apps/v1/namespaces/{namespace}/deployments"]?.get as Json;
    const gvk = list["x-kubernetes-group-version-kind"];
    const schemas = (doc.components as { schemas: Record<string, Json> }).schemas;
    const matching = Object.entries(schemas).filter(([, s]) =>
      (s["x-kubernetes-group-version-kind"] as unknown[] | undefined)?.some(
        (g) => JSON.stringify(g) === JSON.stringify(gvk),
      ),
    );
    assert.deepEqual(
      matching.map(([n]) => n),
      ["io.k8s.api.apps.v1.Deployment"],
    );
    const podSpec = schemas["io.k8s.api.core.v1.PodSpec"]?.properties as Record<string, Json>;
    assert.equal(podSpec.containers?.["x-kubernetes-patch-merge-key"], "name");
    const probe = schemas["io.k8s.api.core.v1.Container"]?.properties as Record<string, Json>;
    // A described reference is served as allOf: [$ref] beside its description, as upstream does.
    const live = probe.livenessProbe as { $ref?: string; allOf?: Array<{ $ref?: string }> };
    assert.equal(
      live.$ref ?? live.allOf?.[0]?.$ref,
      "#/components/schemas/io.k8s.api.core.v1.Probe",
    );
  });

  it("serves int-or-string and quantities as oneOf unions", () => {
    const schemas = (v3("api/v1").components as { schemas: Record<string, Json> }).schemas;
    const ios = schemas["io.k8s.apimachinery.pkg.util.intstr.IntOrString"];
    assert.deepEqual(ios?.oneOf, [{ type: "integer" }, { type: "string" }]);
    assert.equal(ios?.type, undefined);
  });

  it("resolves every $ref in every group-version document", () => {
    for (const gv of Object.keys(openAPIV3Root(BUILTIN_RESOURCES).paths)) {
      const doc = v3(gv);
      for (const [where, ref] of refsOf(doc)) {
        assert.ok(ref.startsWith("#/components/schemas/"), `${gv} ${where}: ${ref}`);
        assert.ok(resolvePointer(doc, ref), `${gv} ${where}: ${ref} does not resolve`);
      }
    }
  });

  it("puts the scale subresource under the autoscaling/v1 Scale kind", () => {
    const scale = opAt(
      v3("apis/apps/v1"),
      "/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale",
      "patch",
    );
    assert.deepEqual(scale["x-kubernetes-group-version-kind"], {
      group: "autoscaling",
      kind: "Scale",
      version: "v1",
    });
  });
});

describe("OpenAPI v2", () => {
  const doc = buildOpenAPIV2(BUILTIN_RESOURCES);

  it("is a swagger 2.0 document describing Kubernetes v1.32.0", () => {
    assert.equal(doc.swagger, "2.0");
    assert.deepEqual(doc.info, { title: "Kubernetes", version: "v1.32.0" });
  });

  it("has cluster-scoped and namespaced paths with upstream's operation ids", () => {
    const paths = doc.paths as Record<string, Json>;
    const cases: Array<[string, string, string]> = [
      ["/api/v1/nodes", "get", "listCoreV1Node"],
      ["/api/v1/nodes", "post", "createCoreV1Node"],
      ["/api/v1/nodes", "delete", "deleteCoreV1CollectionNode"],
      ["/api/v1/namespaces/{namespace}/pods/{name}", "get", "readCoreV1NamespacedPod"],
      ["/api/v1/namespaces/{namespace}/pods/{name}", "put", "replaceCoreV1NamespacedPod"],
      ["/api/v1/pods", "get", "listCoreV1PodForAllNamespaces"],
      [
        "/apis/rbac.authorization.k8s.io/v1/clusterroles",
        "get",
        "listRbacAuthorizationV1ClusterRole",
      ],
    ];
    for (const [path, method, id] of cases) {
      assert.equal(opAt(doc, path, method).operationId, id);
    }
    assert.ok(paths["/api/v1/watch/namespaces/{namespace}/pods/{name}"]);
    assert.equal(paths["/api/v1/namespaces/{namespace}/nodes"], undefined);
  });

  it("carries fieldValidation, dryRun and fieldManager on mutating operations", () => {
    const paths = doc.paths as Record<string, Json>;
    const item = paths["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"] as Json;
    for (const method of ["put", "patch"]) {
      const op = item[method] as Json;
      const names = (op.parameters as Json[]).map((p) => p.name);
      for (const n of ["body", "dryRun", "fieldManager", "fieldValidation"]) {
        assert.ok(names.includes(n), `${method} ${n}`);
      }
      assert.deepEqual(op["x-kubernetes-group-version-kind"], {
        group: "apps",
        kind: "Deployment",
        version: "v1",
      });
    }
    const create = paths["/apis/apps/v1/namespaces/{namespace}/deployments"]?.post as Json;
    assert.ok((create.parameters as Json[]).some((p) => p.name === "fieldValidation"));
  });

  it("resolves every $ref", () => {
    for (const [where, ref] of refsOf(doc)) {
      assert.ok(ref.startsWith("#/definitions/"), `${where}: ${ref}`);
      assert.ok(resolvePointer(doc, ref), `${where}: ${ref} does not resolve`);
    }
  });
});
