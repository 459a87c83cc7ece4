import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  horizontalPodAutoscalerPrinter,
  podDisruptionBudgetPrinter,
} from "../../../src/api/tables/policy.js";
import { clusterRoleBindingPrinter, roleBindingPrinter } from "../../../src/api/tables/rbac.js";
import { ago, MIN, NOW, obj } from "./fixtures.js";

describe("pod disruption budget printer", () => {
  it("prints N/A for the bound that is not set", () => {
    const pdb = obj({
      metadata: { name: "zk", creationTimestamp: ago(MIN) },
      spec: { minAvailable: 2 },
      status: { disruptionsAllowed: 1 },
    });
    assert.deepEqual(podDisruptionBudgetPrinter.row(pdb, NOW), ["zk", "2", "N/A", 1, "60s"]);
    const pct = obj({ metadata: { name: "p" }, spec: { maxUnavailable: "25%" } });
    assert.deepEqual(podDisruptionBudgetPrinter.row(pct, NOW).slice(1, 4), ["N/A", "25%", 0]);
  });
});

describe("horizontal pod autoscaler printer", () => {
  it("prints a CPU utilization target before metrics arrive", () => {
    const hpa = obj({
      apiVersion: "autoscaling/v2",
      metadata: { name: "php-apache", creationTimestamp: ago(MIN) },
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "php-apache" },
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 50 } },
          },
        ],
      },
      status: { currentReplicas: 1, desiredReplicas: 1 },
    });
    assert.deepEqual(horizontalPodAutoscalerPrinter.row(hpa, NOW), [
      "php-apache",
      "Deployment/php-apache",
      "cpu: <unknown>/50%",
      "1",
      10,
      1,
      "60s",
    ]);
  });

  it("prints current values and truncates after two metrics", () => {
    const hpa = obj({
      metadata: { name: "h" },
      spec: {
        scaleTargetRef: { kind: "Deployment", name: "web" },
        maxReplicas: 5,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } },
          },
          {
            type: "Resource",
            resource: { name: "memory", target: { type: "AverageValue", averageValue: "100Mi" } },
          },
          {
            type: "Pods",
            pods: { metric: { name: "qps" }, target: { type: "AverageValue", averageValue: "1k" } },
          },
        ],
      },
      status: {
        currentReplicas: 3,
        currentMetrics: [
          {
            type: "Resource",
            resource: { name: "cpu", current: { averageUtilization: 12, averageValue: "60m" } },
          },
          { type: "Resource", resource: { name: "memory", current: { averageValue: "48Mi" } } },
        ],
      },
    });
    assert.deepEqual(horizontalPodAutoscalerPrinter.row(hpa, NOW).slice(2, 6), [
      "cpu: 12%/80%, memory: 48Mi/100Mi + 1 more...",
      "<unset>",
      5,
      3,
    ]);
  });

  it("reads an autoscaling/v1 CPU target", () => {
    const hpa = obj({
      apiVersion: "autoscaling/v1",
      metadata: { name: "v1" },
      spec: {
        scaleTargetRef: { kind: "Deployment", name: "web" },
        minReplicas: 2,
        maxReplicas: 4,
        targetCPUUtilizationPercentage: 70,
      },
      status: { currentReplicas: 2, desiredReplicas: 2, currentCPUUtilizationPercentage: 35 },
    });
    assert.equal(horizontalPodAutoscalerPrinter.row(hpa, NOW)[2], "cpu: 35%/70%");
  });

  it("prints <none> without metrics", () => {
    const hpa = obj({
      metadata: { name: "n" },
      spec: { scaleTargetRef: { kind: "Deployment", name: "d" }, maxReplicas: 1 },
    });
    assert.equal(horizontalPodAutoscalerPrinter.row(hpa, NOW)[2], "<none>");
  });
});

describe("role binding printers", () => {
  it("prints the role and, wide, users, groups and service accounts", () => {
    const rb = obj({
      metadata: { name: "read-pods", creationTimestamp: ago(MIN) },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "pod-reader" },
      subjects: [
        { kind: "User", name: "jane" },
        { kind: "User", name: "joe" },
        { kind: "Group", name: "devs" },
        { kind: "ServiceAccount", name: "builder", namespace: "ci" },
      ],
    });
    assert.deepEqual(roleBindingPrinter.row(rb, NOW), [
      "read-pods",
      "Role/pod-reader",
      "60s",
      "jane, joe",
      "devs",
      "ci/builder",
    ]);
    assert.deepEqual(
      clusterRoleBindingPrinter.columns.map((c) => c.name),
      ["Name", "Role", "Age", "Users", "Groups", "ServiceAccounts"],
    );
  });
});
