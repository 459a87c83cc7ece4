import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ForbiddenError } from "../../src/client/rest/errors.js";
import { errorPage, forDisplay, sidebar } from "../../src/dashboard/pages.js";

describe("dashboard pages (pure parts)", () => {
  it("sidebar groups resources, core first, with escaped links", () => {
    const out = sidebar("/d", [
      { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true },
      { group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true },
      {
        group: "stable.example.com",
        version: "v1",
        plural: "crontabs",
        kind: "CronTab",
        namespaced: true,
      },
    ]).value;
    assert.ok(out.indexOf("configmaps") < out.indexOf("pods"));
    assert.ok(out.includes("<h3>core</h3>"));
    assert.ok(out.includes('href="/d/resources/stable.example.com/v1/crontabs"'));
  });

  it("error pages carry the API's status and escape its message", () => {
    const err = new ForbiddenError(403, {
      reason: "Forbidden",
      message: 'pods "<b>x</b>" is forbidden',
    });
    const r = errorPage("", err);
    assert.equal(r.status, 403);
    assert.ok(r.body.includes("Error 403 Forbidden"));
    assert.ok(r.body.includes("pods &quot;&lt;b&gt;x&lt;/b&gt;&quot; is forbidden"));
    assert.equal(errorPage("", new Error("socket hang up")).status, 502);
  });

  it("shows objects as kubectl -o yaml does: kind first, no managedFields", () => {
    const shown = forDisplay({
      metadata: { name: "a", managedFields: [{}] },
      data: { k: "v" },
      kind: "ConfigMap",
      apiVersion: "v1",
    });
    assert.deepEqual(Object.keys(shown), ["apiVersion", "kind", "metadata", "data"]);
    assert.deepEqual(shown.metadata, { name: "a" });
  });
});
