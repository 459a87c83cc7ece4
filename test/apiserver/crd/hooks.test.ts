import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BUILTIN_RESOURCES } from "../../../src/api/resources.js";
import {
  CUSTOM_RESOURCE_PATCH_UNSUPPORTED_MESSAGE,
  customResourceHooks,
  customResourcePatchTypeAllowed,
} from "../../../src/apiserver/crd/hooks.js";
import { unsupportedMediaType } from "../../../src/apiserver/status.js";
import { defaultHooks } from "../../../src/apiserver/wiring.js";
import { NO_PATCH_META } from "../../../src/machinery/patch/meta.js";
import { cronTab, cronTabVersion, crVersion, fakeCustomResources } from "./crontab.fixture.js";

// biome-ignore lint/suspicious/noExplicitAny: walking JSON documents in assertions
type Json = Record<string, any>;
const GVK = { group: "stable.example.com", version: "v1", kind: "CronTab" };
const POD = { group: "", version: "v1", kind: "Pod" };
const cr = crVersion();
const base = defaultHooks();
const hooks = customResourceHooks(base, fakeCustomResources([cr]));
const resources = [...BUILTIN_RESOURCES, cr.descriptor];

describe("customResourceHooks", () => {
  it("strategies: the CRD's for custom kinds (one per version), the base's otherwise", () => {
    const s = hooks.strategyFor("stable.example.com", "v1", "CronTab");
    assert.equal(s, hooks.strategyFor("stable.example.com", "v1", "CronTab"));
    assert.equal(s.nameRule, "subdomain");
    assert.equal(s.validate?.(cronTab({ replicas: 0 }))?.length, 1);
    assert.equal(hooks.strategyFor("", "v1", "Pod"), base.strategyFor("", "v1", "Pod"));
  });

  it("unknown fields and pruning from the schema", () => {
    const obj = cronTab({ foo: 1 });
    assert.deepEqual(hooks.unknownFields(obj, GVK), ["spec.foo"]);
    hooks.pruneUnknownFields(obj, GVK);
    assert.deepEqual(obj, cronTab());
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { bogus: 1, containers: [] },
    };
    assert.deepEqual(hooks.unknownFields(pod, POD), ["spec.bogus"]);
  });

  it("tables from printer columns for custom resources, built-in printers otherwise", () => {
    const now = new Date("2024-05-01T12:00:00Z");
    const o = cronTab();
    o.metadata = { ...o.metadata, creationTimestamp: "2024-05-01T11:58:00Z" };
    const table = hooks.buildTable({
      groupResource: "crontabs.stable.example.com",
      objects: [o],
      now,
      includeObject: "None",
      listMeta: {},
    }) as Json;
    assert.deepEqual(
      table.columnDefinitions.map((c: Json) => c.name),
      ["Name", "Spec", "Replicas", "Age"],
    );
    assert.deepEqual(table.rows[0].cells, ["my-new-cron-object", "* * * * */5", 1, "2m"]);
    const pods = hooks.buildTable({
      groupResource: "pods",
      objects: [],
      now,
      includeObject: "None",
      listMeta: {},
    }) as Json;
    assert.equal(pods.columnDefinitions[1].name, "Ready");
  });

  it("tables follow the objects' version", () => {
    const v2 = crVersion(
      cronTabVersion({ name: "v2", storage: false, additionalPrinterColumns: [] }),
    );
    const h = customResourceHooks(base, fakeCustomResources([cr, v2]));
    const o = { ...cronTab(), apiVersion: "stable.example.com/v2" };
    const table = h.buildTable({
      groupResource: "crontabs.stable.example.com",
      objects: [o],
      now: new Date(),
      includeObject: "None",
      listMeta: {},
    }) as Json;
    assert.deepEqual(
      table.columnDefinitions.map((c: Json) => c.name),
      ["Name", "Age"],
    );
  });

  it("patch metas: nothing for strategic merge, the schema's list types for apply", () => {
    assert.equal(hooks.patchMetaFor(GVK), NO_PATCH_META);
    assert.notEqual(hooks.patchMetaFor(POD), NO_PATCH_META);
    const withMap = crVersion(
      cronTabVersion({
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: {
                type: "object",
                properties: {
                  ports: {
                    type: "array",
                    "x-kubernetes-list-type": "map",
                    "x-kubernetes-list-map-keys": ["name"],
                    items: { type: "object", properties: { name: { type: "string" } } },
                  } as never,
                },
              },
            },
          },
        },
      }),
    );
    const h = customResourceHooks(base, fakeCustomResources([withMap]));
    const meta = h.applyMetaFor(GVK) as Json;
    const ports = meta.field("spec").field("ports");
    assert.equal(ports.listType, "map");
    assert.deepEqual(ports.listMapKeys, ["name"]);
    // metadata is ObjectMeta: ownerReferences merge by uid.
    assert.equal(meta.field("metadata").field("ownerReferences").mergeKey, "uid");
  });

  it("content types a custom resource PATCH accepts", () => {
    assert.equal(
      customResourcePatchTypeAllowed("application/merge-patch+json; charset=utf-8"),
      true,
    );
    assert.equal(customResourcePatchTypeAllowed("application/json-patch+json"), true);
    assert.equal(customResourcePatchTypeAllowed("application/apply-patch+yaml"), true);
    assert.equal(customResourcePatchTypeAllowed("application/strategic-merge-patch+json"), false);
    assert.equal(customResourcePatchTypeAllowed(undefined), false);
    assert.equal(
      CUSTOM_RESOURCE_PATCH_UNSUPPORTED_MESSAGE,
      "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml",
    );
    assert.equal(
      unsupportedMediaType([
        "application/json-patch+json",
        "application/merge-patch+json",
        "application/apply-patch+yaml",
      ]).message,
      CUSTOM_RESOURCE_PATCH_UNSUPPORTED_MESSAGE,
    );
  });

  it("OpenAPI v2 (JSON and protobuf) has the built-ins and the custom kinds", () => {
    const doc = hooks.openapiV2(resources) as Json;
    assert.ok(doc.definitions["com.example.stable.v1.CronTab"]);
    assert.ok(doc.definitions["io.k8s.api.core.v1.Pod"]);
    assert.ok(doc.paths["/apis/stable.example.com/v1/namespaces/{namespace}/crontabs/{name}"]);
    assert.ok(doc.paths["/api/v1/namespaces/{namespace}/pods/{name}"]);
    assert.equal(hooks.openapiV2(resources), doc, "cached per resources array");
    const pb = hooks.openapiV2Protobuf(resources);
    assert.ok(pb.length > base.openapiV2Protobuf(BUILTIN_RESOURCES).length);
    assert.ok(Buffer.from(pb).includes(Buffer.from("com.example.stable.v1.CronTab")));
  });

  it("OpenAPI v3: root and group-version documents", () => {
    const root = hooks.openapiV3Root(resources) as Json;
    assert.ok(root.paths["api/v1"]);
    assert.ok(root.paths["apis/stable.example.com/v1"]);
    const doc = hooks.openapiV3(resources, "apis/stable.example.com/v1") as Json;
    assert.ok(doc.components.schemas["com.example.stable.v1.CronTab"]);
    assert.equal(hooks.openapiV3(resources, "apis/stable.example.com/v1"), doc);
    assert.ok((hooks.openapiV3(resources, "api/v1") as Json).paths);
    assert.equal(hooks.openapiV3(resources, "apis/nothing/v1"), undefined);
    // Without the CR among the resources, nothing of it is served.
    assert.equal(hooks.openapiV3(BUILTIN_RESOURCES, "apis/stable.example.com/v1"), undefined);
  });

  it("everything else is the base's", () => {
    assert.equal(hooks.mergePatch, base.mergePatch);
    assert.equal(hooks.validateObjectMeta, base.validateObjectMeta);
  });
});
