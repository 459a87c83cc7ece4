import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { patchMetaFor } from "../../../src/api/schema/index.js";
import { NO_PATCH_META } from "../../../src/machinery/patch/meta.js";

describe("patchMetaFor", () => {
  it("follows a deployment down to its containers' ports", () => {
    const meta = patchMetaFor({ group: "apps", version: "v1", kind: "Deployment" });
    const containers = meta.field("spec")?.field("template")?.field("spec")?.field("containers");
    assert.equal(containers?.mergeKey, "name");
    assert.equal(containers?.patchStrategy, "merge");
    assert.equal(containers?.listType, "map");
    const ports = containers?.elements()?.field("ports");
    assert.equal(ports?.mergeKey, "containerPort");
    assert.equal(ports?.patchStrategy, "merge");
  });

  it("reports retainKeys strategies and set lists", () => {
    const pod = patchMetaFor({ group: "", version: "v1", kind: "Pod" });
    assert.equal(pod.field("spec")?.field("volumes")?.patchStrategy, "merge,retainKeys");
    const finalizers = pod.field("metadata")?.field("finalizers");
    assert.equal(finalizers?.patchStrategy, "merge");
    assert.equal(finalizers?.mergeKey, undefined);
    assert.equal(finalizers?.listType, "set");
  });

  it("gives map values through elements and nothing for unknown fields", () => {
    const pod = patchMetaFor({ group: "", version: "v1", kind: "Pod" });
    const labels = pod.field("metadata")?.field("labels");
    assert.ok(labels?.elements());
    assert.equal(pod.field("spec")?.field("nope"), undefined);
    const tolerations = pod.field("spec")?.field("tolerations");
    assert.equal(tolerations?.mergeKey, undefined);
    assert.equal(tolerations?.patchStrategy, undefined);
  });

  it("falls back to no information for kinds without a definition", () => {
    assert.equal(
      patchMetaFor({ group: "example.com", version: "v1", kind: "Widget" }),
      NO_PATCH_META,
    );
  });
});
