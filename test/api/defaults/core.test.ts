import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultCronJob, defaultJob } from "../../../src/api/defaults/batch.js";
import { defaultNamespace, defaultReplicationController } from "../../../src/api/defaults/core.js";
import {
  defaultBinding,
  defaultNetworkPolicy,
  defaultPriorityClass,
} from "../../../src/api/defaults/misc.js";
import { defaultService } from "../../../src/api/defaults/service.js";
import {
  defaultPersistentVolume,
  defaultPersistentVolumeClaim,
  defaultStorageClass,
} from "../../../src/api/defaults/storage.js";
import type { KubeObject } from "../../../src/api/strategy.js";

describe("core defaults", () => {
  it("gives a namespace its name label, the kubernetes finalizer and phase Active", () => {
    const ns: KubeObject = { metadata: { name: "dev" } };
    defaultNamespace(ns);
    assert.deepEqual(ns, {
      metadata: { name: "dev", labels: { "kubernetes.io/metadata.name": "dev" } },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
  });

  it("defaults a service to a single-stack ClusterIP with targetPort = port", () => {
    const svc: KubeObject = { spec: { selector: { app: "web" }, ports: [{ port: 80 }] } };
    defaultService(svc);
    assert.deepEqual(svc.spec, {
      selector: { app: "web" },
      ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
      sessionAffinity: "None",
      type: "ClusterIP",
      internalTrafficPolicy: "Cluster",
      ipFamilyPolicy: "SingleStack",
      ipFamilies: ["IPv4"],
    });
  });

  it("adds externalTrafficPolicy Cluster to NodePort services", () => {
    const svc: KubeObject = {
      spec: { type: "NodePort", ports: [{ port: 80, targetPort: "http" }] },
    };
    defaultService(svc);
    const spec = svc.spec as Record<string, unknown>;
    assert.equal(spec.externalTrafficPolicy, "Cluster");
    assert.deepEqual(spec.ports, [{ port: 80, targetPort: "http", protocol: "TCP" }]);
  });

  it("takes a replication controller's selector and labels from its template", () => {
    const rc: KubeObject = {
      metadata: {},
      spec: { template: { metadata: { labels: { app: "x" } }, spec: { containers: [] } } },
    };
    defaultReplicationController(rc);
    assert.deepEqual(rc.metadata?.labels, { app: "x" });
    assert.deepEqual((rc.spec as Record<string, unknown>).selector, { app: "x" });
    assert.equal((rc.spec as Record<string, unknown>).replicas, 1);
  });

  it("defaults persistent volumes and claims", () => {
    const pv: KubeObject = { spec: {} };
    defaultPersistentVolume(pv);
    assert.deepEqual(pv, {
      spec: { persistentVolumeReclaimPolicy: "Retain", volumeMode: "Filesystem" },
      status: { phase: "Pending" },
    });
    const pvc: KubeObject = { spec: {} };
    defaultPersistentVolumeClaim(pvc);
    assert.deepEqual(pvc, { spec: { volumeMode: "Filesystem" }, status: { phase: "Pending" } });
  });
});

describe("batch defaults", () => {
  it("defaults a job and generates its selector from the uid", () => {
    const job: KubeObject = {
      metadata: { name: "pi", uid: "abc" },
      spec: { template: { spec: { containers: [] } } },
    };
    defaultJob(job);
    const spec = job.spec as Record<string, unknown>;
    assert.equal(spec.completions, 1);
    assert.equal(spec.parallelism, 1);
    assert.equal(spec.backoffLimit, 6);
    assert.equal(spec.completionMode, "NonIndexed");
    assert.equal(spec.suspend, false);
    assert.equal(spec.podReplacementPolicy, "TerminatingOrFailed");
    assert.deepEqual(spec.selector, {
      matchLabels: { "batch.kubernetes.io/controller-uid": "abc" },
    });
    assert.deepEqual(job.metadata?.labels, {
      "batch.kubernetes.io/controller-uid": "abc",
      "batch.kubernetes.io/job-name": "pi",
      "controller-uid": "abc",
      "job-name": "pi",
    });
  });

  it("defaults a cronjob", () => {
    const cj: KubeObject = { spec: { schedule: "@hourly", jobTemplate: { spec: {} } } };
    defaultCronJob(cj);
    const spec = cj.spec as Record<string, unknown>;
    assert.equal(spec.concurrencyPolicy, "Allow");
    assert.equal(spec.suspend, false);
    assert.equal(spec.successfulJobsHistoryLimit, 3);
    assert.equal(spec.failedJobsHistoryLimit, 1);
  });
});

describe("other groups", () => {
  it("defaults a storage class, priority class and network policy", () => {
    const sc: KubeObject = { provisioner: "x" };
    defaultStorageClass(sc);
    assert.deepEqual(sc, {
      provisioner: "x",
      reclaimPolicy: "Delete",
      volumeBindingMode: "Immediate",
    });
    const pc: KubeObject = { value: 1 };
    defaultPriorityClass(pc);
    assert.equal(pc.preemptionPolicy, "PreemptLowerPriority");
    const np: KubeObject = { spec: { podSelector: {}, egress: [{ ports: [{ port: 53 }] }] } };
    defaultNetworkPolicy(np);
    assert.deepEqual(np.spec, {
      podSelector: {},
      egress: [{ ports: [{ port: 53, protocol: "TCP" }] }],
      policyTypes: ["Ingress", "Egress"],
    });
  });

  it("defaults binding api groups", () => {
    const b: KubeObject = {
      roleRef: { kind: "Role", name: "r" },
      subjects: [
        { kind: "User", name: "jane" },
        { kind: "ServiceAccount", name: "default" },
      ],
    };
    defaultBinding(b);
    assert.deepEqual(b, {
      roleRef: { kind: "Role", name: "r", apiGroup: "rbac.authorization.k8s.io" },
      subjects: [
        { kind: "User", name: "jane", apiGroup: "rbac.authorization.k8s.io" },
        { kind: "ServiceAccount", name: "default", apiGroup: "" },
      ],
    });
  });
});
