import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BUILTIN_RESOURCES, groupResource } from "../../../src/api/resources.js";
import { eventPrinter } from "../../../src/api/tables/events.js";
import { defaultPrinter, hasTablePrinter, tablePrinterFor } from "../../../src/api/tables/index.js";
import { deploymentPrinter } from "../../../src/api/tables/workloads.js";
import { NOW, obj } from "./fixtures.js";

describe("tablePrinterFor", () => {
  it("finds printers by group resource", () => {
    assert.equal(tablePrinterFor("deployments.apps"), deploymentPrinter);
    assert.equal(tablePrinterFor("events"), eventPrinter);
    assert.equal(tablePrinterFor("events.events.k8s.io"), eventPrinter);
  });

  it("gives roles, cluster roles, limit ranges and unknown resources NAME and CREATED AT", () => {
    for (const gr of [
      "roles.rbac.authorization.k8s.io",
      "clusterroles.rbac.authorization.k8s.io",
      "limitranges",
      "customresourcedefinitions.apiextensions.k8s.io",
      "widgets.example.com",
    ]) {
      assert.equal(tablePrinterFor(gr), defaultPrinter, gr);
    }
    assert.deepEqual(
      defaultPrinter.columns.map((c) => [c.name, c.type, c.format]),
      [
        ["Name", "string", "name"],
        ["Created At", "date", ""],
      ],
    );
    const role = obj({
      metadata: { name: "pod-reader", creationTimestamp: "2024-04-30T08:15:00Z" },
    });
    assert.deepEqual(defaultPrinter.row(role, NOW), ["pod-reader", "2024-04-30T08:15:00Z"]);
  });

  it("has a printer for every built-in resource upstream prints specially", () => {
    const plain = new Set([
      "roles.rbac.authorization.k8s.io",
      "clusterroles.rbac.authorization.k8s.io",
      "limitranges",
      "customresourcedefinitions.apiextensions.k8s.io",
      "podpresets.settings.k8s.io",
      "tokenreviews.authentication.k8s.io",
      "subjectaccessreviews.authorization.k8s.io",
      "selfsubjectaccessreviews.authorization.k8s.io",
      "localsubjectaccessreviews.authorization.k8s.io",
      "selfsubjectrulesreviews.authorization.k8s.io",
      "selfsubjectreviews.authentication.k8s.io",
      "bindings",
      "pods.metrics.k8s.io",
      "nodes.metrics.k8s.io",
    ]);
    for (const d of BUILTIN_RESOURCES) {
      const gr = groupResource(d);
      if (plain.has(gr)) continue;
      assert.ok(hasTablePrinter(gr), `no printer for ${gr}`);
    }
  });

  it("produces one cell per column for an empty object of every resource", () => {
    for (const d of BUILTIN_RESOURCES) {
      const printer = tablePrinterFor(groupResource(d));
      const cells = printer.row(obj({ metadata: { name: "x" } }), NOW);
      assert.equal(cells.length, printer.columns.length, groupResource(d));
    }
  });
});
