import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BUILTIN_RESOURCES } from "../../src/api/resources.js";
import { strategyFor } from "../../src/api/strategies.js";
import type { KubeObject } from "../../src/api/strategy.js";

describe("strategyFor", () => {
  it("survives defaulting and validating an empty object of every built-in kind", () => {
    for (const d of BUILTIN_RESOURCES) {
      const s = strategyFor(d.group, d.version, d.kind);
      const obj: KubeObject = {
        metadata: { name: "x", ...(d.namespaced ? { namespace: "default" } : {}) },
      };
      s.default?.(obj);
      assert.ok(Array.isArray(s.validate?.(obj) ?? []), d.kind);
      assert.ok(Array.isArray(s.validateUpdate?.(obj, structuredClone(obj)) ?? []), d.kind);
      assert.ok(Array.isArray(s.validateStatusUpdate?.(obj, structuredClone(obj)) ?? []), d.kind);
      assert.equal(typeof (s.selectableFields?.(obj) ?? {}), "object", d.kind);
    }
  });

  it("survives fields of the wrong JSON type", () => {
    for (const d of BUILTIN_RESOURCES) {
      const s = strategyFor(d.group, d.version, d.kind);
      const obj: KubeObject = {
        metadata: { name: "x" },
        spec: { containers: "nope", template: 7, ports: {}, selector: [] },
        data: 3,
      };
      s.default?.(obj);
      s.validate?.(obj);
    }
  });

  const rules: Array<[string, string, string, string]> = [
    ["", "v1", "Namespace", "label"],
    ["", "v1", "Service", "dns1035-label"],
    ["", "v1", "Pod", "subdomain"],
    ["apps", "v1", "Deployment", "subdomain"],
    ["rbac.authorization.k8s.io", "v1", "Role", "path-segment"],
    ["rbac.authorization.k8s.io", "v1", "ClusterRoleBinding", "path-segment"],
  ];
  for (const [group, version, kind, rule] of rules) {
    it(`checks ${kind} names as ${rule}`, () => {
      assert.equal(strategyFor(group, version, kind).nameRule ?? "subdomain", rule);
    });
  }

  it("gives custom resources the empty strategy", () => {
    assert.deepEqual(strategyFor("example.com", "v1", "Widget"), {});
  });

  it("exposes the pod fields kubectl and the kubelet select on", () => {
    const pod: KubeObject = {
      spec: {
        nodeName: "n1",
        restartPolicy: "Always",
        schedulerName: "default-scheduler",
        serviceAccountName: "default",
      },
      status: { phase: "Running", podIPs: [{ ip: "10.42.0.5" }] },
    };
    assert.deepEqual(strategyFor("", "v1", "Pod").selectableFields?.(pod), {
      "spec.nodeName": "n1",
      "spec.restartPolicy": "Always",
      "spec.schedulerName": "default-scheduler",
      "spec.serviceAccountName": "default",
      "spec.hostNetwork": "false",
      "status.phase": "Running",
      "status.podIP": "10.42.0.5",
      "status.nominatedNodeName": "",
    });
  });

  it("exposes secret type, node unschedulable and namespace phase", () => {
    assert.deepEqual(strategyFor("", "v1", "Secret").selectableFields?.({ type: "Opaque" }), {
      type: "Opaque",
    });
    assert.deepEqual(
      strategyFor("", "v1", "Node").selectableFields?.({ spec: { unschedulable: true } }),
      { "spec.unschedulable": "true" },
    );
    assert.deepEqual(
      strategyFor("", "v1", "Namespace").selectableFields?.({ status: { phase: "Active" } }),
      { "status.phase": "Active" },
    );
  });
});
