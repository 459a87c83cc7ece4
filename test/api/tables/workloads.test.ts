import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  controllerRevisionPrinter,
  daemonSetPrinter,
  deploymentPrinter,
  replicaSetPrinter,
  replicationControllerPrinter,
  statefulSetPrinter,
} from "../../../src/api/tables/workloads.js";
import { ago, DAY, HOUR, MIN, NOW, obj } from "./fixtures.js";

const template = {
  metadata: { labels: { app: "nginx" } },
  spec: { containers: [{ name: "nginx", image: "nginx:1.7.9", ports: [{ containerPort: 80 }] }] },
};

function headers(columns: ReadonlyArray<{ name: string; priority: number }>): string[] {
  return columns.map((c) => (c.priority > 0 ? `${c.name}*` : c.name));
}

describe("deployment printer", () => {
  it("prints the notes' nginx-deployment with 2 of 2 replicas ready", () => {
    const d = obj({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "nginx-deployment", creationTimestamp: ago(90 * 1000) },
      spec: { replicas: 2, selector: { matchLabels: { app: "nginx" } }, template },
      status: { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 },
    });
    assert.deepEqual(headers(deploymentPrinter.columns), [
      "Name",
      "Ready",
      "Up-to-date",
      "Available",
      "Age",
      "Containers*",
      "Images*",
      "Selector*",
    ]);
    assert.deepEqual(deploymentPrinter.row(d, NOW), [
      "nginx-deployment",
      "2/2",
      2,
      2,
      "90s",
      "nginx",
      "nginx:1.7.9",
      "app=nginx",
    ]);
  });

  it("prints zeros for a deployment whose status is not yet written", () => {
    const d = obj({
      metadata: { name: "fresh", creationTimestamp: ago(1000) },
      spec: { replicas: 3, selector: { matchLabels: { app: "x" } }, template },
    });
    assert.deepEqual(deploymentPrinter.row(d, NOW).slice(0, 5), ["fresh", "0/3", 0, 0, "1s"]);
  });

  it("renders set-based selectors sorted by key", () => {
    const d = obj({
      metadata: { name: "sel" },
      spec: {
        selector: {
          matchLabels: { tier: "web" },
          matchExpressions: [
            { key: "env", operator: "In", values: ["prod", "dev"] },
            { key: "legacy", operator: "DoesNotExist" },
            { key: "canary", operator: "Exists" },
          ],
        },
        template,
      },
    });
    assert.equal(deploymentPrinter.row(d, NOW)[7], "canary,env in (dev,prod),!legacy,tier=web");
  });
});

describe("replica set printer", () => {
  it("prints DESIRED CURRENT READY and the wide selector", () => {
    const rs = obj({
      metadata: { name: "nginx-deployment-6b474476c4", creationTimestamp: ago(2 * HOUR) },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: "nginx", "pod-template-hash": "6b474476c4" } },
        template,
      },
      status: { replicas: 2, readyReplicas: 1 },
    });
    assert.deepEqual(replicaSetPrinter.row(rs, NOW), [
      "nginx-deployment-6b474476c4",
      2,
      2,
      1,
      "120m",
      "nginx",
      "nginx:1.7.9",
      "app=nginx,pod-template-hash=6b474476c4",
    ]);
  });
});

describe("replication controller printer", () => {
  it("prints its map selector", () => {
    const rc = obj({
      metadata: { name: "nginx", creationTimestamp: ago(3 * DAY) },
      spec: { replicas: 3, selector: { app: "nginx" }, template },
      status: { replicas: 3, readyReplicas: 3 },
    });
    assert.deepEqual(replicationControllerPrinter.row(rc, NOW), [
      "nginx",
      3,
      3,
      3,
      "3d",
      "nginx",
      "nginx:1.7.9",
      "app=nginx",
    ]);
  });
});

describe("stateful set printer", () => {
  it("prints READY as ready/desired", () => {
    const sts = obj({
      metadata: { name: "web", creationTimestamp: ago(5 * MIN) },
      spec: {
        replicas: 3,
        serviceName: "nginx",
        selector: { matchLabels: { app: "nginx" } },
        template,
      },
      status: { replicas: 2, readyReplicas: 1 },
    });
    assert.deepEqual(headers(statefulSetPrinter.columns), [
      "Name",
      "Ready",
      "Age",
      "Containers*",
      "Images*",
    ]);
    assert.deepEqual(statefulSetPrinter.row(sts, NOW), [
      "web",
      "1/3",
      "5m",
      "nginx",
      "nginx:1.7.9",
    ]);
  });
});

describe("daemon set printer", () => {
  it("prints the scheduling counters and node selector", () => {
    const ds = obj({
      metadata: { name: "fluentd", creationTimestamp: ago(10 * DAY) },
      spec: {
        selector: { matchLabels: { name: "fluentd" } },
        template: {
          spec: {
            nodeSelector: { "kubernetes.io/os": "linux" },
            containers: [{ name: "fluentd", image: "fluentd:v1" }],
          },
        },
      },
      status: {
        desiredNumberScheduled: 3,
        currentNumberScheduled: 3,
        numberReady: 2,
        updatedNumberScheduled: 3,
        numberAvailable: 2,
      },
    });
    assert.deepEqual(daemonSetPrinter.row(ds, NOW), [
      "fluentd",
      3,
      3,
      2,
      3,
      2,
      "kubernetes.io/os=linux",
      "10d",
      "fluentd",
      "fluentd:v1",
      "name=fluentd",
    ]);
  });

  it("prints <none> without a node selector", () => {
    const ds = obj({ metadata: { name: "x" }, spec: { template: { spec: { containers: [] } } } });
    assert.equal(daemonSetPrinter.row(ds, NOW)[6], "<none>");
    assert.equal(daemonSetPrinter.row(ds, NOW)[7], "<unknown>");
  });
});

describe("controller revision printer", () => {
  it("names the controlling owner as kind.group/name", () => {
    const cr = obj({
      metadata: {
        name: "fluentd-5d8f9c",
        creationTimestamp: ago(MIN),
        ownerReferences: [
          { apiVersion: "apps/v1", kind: "DaemonSet", name: "fluentd", uid: "u", controller: true },
        ],
      },
      revision: 2,
    });
    assert.deepEqual(controllerRevisionPrinter.row(cr, NOW), [
      "fluentd-5d8f9c",
      "daemonset.apps/fluentd",
      2,
      "60s",
    ]);
  });

  it("prints <none> without a controller", () => {
    const cr = obj({ metadata: { name: "r" }, revision: 1 });
    assert.equal(controllerRevisionPrinter.row(cr, NOW)[1], "<none>");
  });
});
