import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  CR_PATCH_CONTENT_TYPES,
  crDefinitionName,
  crGroupVersionPaths,
  crPaths,
  customResourceV3Document,
  withCustomResourcesV2,
  withCustomResourcesV3Root,
} from "../../../src/apiserver/crd/openapi.js";
import { cronTabVersion, crVersion } from "./crontab.fixture.js";

// biome-ignore lint/suspicious/noExplicitAny: walking JSON documents in assertions
type Json = Record<string, any>;
const cr = crVersion();

describe("custom resource OpenAPI", () => {
  it("names definitions after the reversed group", () => {
    assert.equal(
      crDefinitionName("stable.example.com", "v1", "CronTab"),
      "com.example.stable.v1.CronTab",
    );
  });

  it("v2: definitions from the schema, with type meta, ObjectMeta and the GVK", () => {
    const base = { swagger: "2.0", paths: { "/api/v1/pods": {} }, definitions: { "x.Y": {} } };
    const doc = withCustomResourcesV2(base, [cr]) as Json;
    assert.deepEqual(Object.keys(base.definitions), ["x.Y"], "base untouched");
    const def = doc.definitions["com.example.stable.v1.CronTab"];
    assert.deepEqual(Object.keys(def.properties), [
      "apiVersion",
      "kind",
      "metadata",
      "spec",
      "status",
    ]);
    assert.equal(
      def.properties.metadata.$ref,
      "#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
    );
    assert.deepEqual(def.properties.spec.properties.replicas, {
      type: "integer",
      minimum: 1,
      maximum: 10,
      default: 1,
    });
    assert.deepEqual(def["x-kubernetes-group-version-kind"], [
      { group: "stable.example.com", kind: "CronTab", version: "v1" },
    ]);
    const list = doc.definitions["com.example.stable.v1.CronTabList"];
    assert.equal(list.properties.items.items.$ref, "#/definitions/com.example.stable.v1.CronTab");
    assert.deepEqual(list["x-kubernetes-group-version-kind"][0].kind, "CronTabList");
    assert.ok(doc.definitions["x.Y"]);
    assert.ok(doc.paths["/api/v1/pods"]);
  });

  it("v2: paths, with patch types that leave out strategic merge", () => {
    const doc = withCustomResourcesV2({ paths: {}, definitions: {} }, [cr]) as Json;
    const item = doc.paths["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"];
    assert.equal(item.patch.operationId, "patchStableExampleComV1NamespacedCronTab");
    assert.deepEqual(item.patch.consumes, [...CR_PATCH_CONTENT_TYPES]);
    assert.ok(item.patch.parameters.some((p: Json) => p.name === "fieldValidation"));
    assert.deepEqual(item.patch["x-kubernetes-group-version-kind"], {
      group: "stable.example.com",
      kind: "CronTab",
      version: "v1",
    });
    assert.ok(doc.paths["/apis/stable.example.com/v1/crontabs"].get);
    assert.ok(
      doc.paths["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/status"].put,
    );
    const scale =
      doc.paths["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}/scale"];
    assert.equal(
      scale.get.responses["200"].schema.$ref,
      "#/definitions/io.k8s.api.autoscaling.v1.Scale",
    );
  });

  it("v2 drops what swagger 2.0 cannot say", () => {
    const v = cronTabVersion({
      schema: {
        openAPIV3Schema: {
          type: "object",
          properties: {
            spec: {
              type: "object",
              properties: {
                port: {
                  "x-kubernetes-int-or-string": true,
                  anyOf: [{ type: "integer" }, { type: "string" }],
                } as never,
                maybe: { type: "string", nullable: true },
              },
            },
          },
        },
      },
    });
    const doc = withCustomResourcesV2({ paths: {}, definitions: {} }, [crVersion(v)]) as Json;
    const spec = doc.definitions["com.example.stable.v1.CronTab"].properties.spec;
    assert.deepEqual(spec.properties.port, { "x-kubernetes-int-or-string": true });
    assert.deepEqual(spec.properties.maybe, {});
    const v3 = customResourceV3Document([crVersion(v)], "apis/stable.example.com/v1") as Json;
    const spec3 = v3.components.schemas["com.example.stable.v1.CronTab"].properties.spec;
    assert.equal(spec3.properties.maybe.nullable, true);
    assert.equal(spec3.properties.port.anyOf.length, 2);
  });

  it("cluster-scoped paths", () => {
    const paths = crPaths(crVersion(cronTabVersion(), { namespaced: false }).descriptor).map(
      (p) => p.path,
    );
    assert.deepEqual(paths, [
      "/apis/stable.example.com/v1/crontabs",
      "/apis/stable.example.com/v1/crontabs/{name}",
      "/apis/stable.example.com/v1/crontabs/{name}/status",
      "/apis/stable.example.com/v1/crontabs/{name}/scale",
    ]);
  });

  it("v3: one document per group-version with the schemas it needs", () => {
    assert.equal(customResourceV3Document([cr], "apis/other/v1"), undefined);
    const doc = customResourceV3Document([cr], "/apis/stable.example.com/v1") as Json;
    assert.equal(doc.openapi, "3.0.0");
    const schemas = doc.components.schemas;
    const def = schemas["com.example.stable.v1.CronTab"];
    assert.deepEqual(def.properties.metadata.allOf, [
      { $ref: "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" },
    ]);
    for (const name of [
      "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
      "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
      "io.k8s.apimachinery.pkg.apis.meta.v1.Status",
      "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions",
      "io.k8s.api.autoscaling.v1.Scale",
      "com.example.stable.v1.CronTabList",
    ]) {
      assert.ok(schemas[name], name);
    }
    const patch =
      doc.paths["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"].patch;
    assert.deepEqual(Object.keys(patch.requestBody.content), [...CR_PATCH_CONTENT_TYPES]);
    assert.ok(patch.parameters.some((p: Json) => p.name === "fieldValidation"));
    assert.equal(patch["x-kubernetes-action"], "patch");
  });

  it("v3 root lists the custom group-versions with a hash", () => {
    assert.deepEqual(crGroupVersionPaths([cr, cr]), ["apis/stable.example.com/v1"]);
    const root = withCustomResourcesV3Root(
      { paths: { "api/v1": { serverRelativeURL: "/openapi/v3/api/v1?hash=A" } } },
      [cr],
    );
    assert.deepEqual(Object.keys(root.paths), ["api/v1", "apis/stable.example.com/v1"]);
    assert.match(
      root.paths["apis/stable.example.com/v1"]?.serverRelativeURL ?? "",
      /^\/openapi\/v3\/apis\/stable\.example\.com\/v1\?hash=[0-9A-F]+$/i,
    );
  });
});
