import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  defaultDaemonSet,
  defaultDeployment,
  defaultStatefulSet,
} from "../../../src/api/defaults/apps.js";
import { strategyFor } from "../../../src/api/strategies.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import { validateObjectMeta } from "../../../src/api/validation/metadata.js";

/** The notes' nginx-deployment, as kubectl sends it. */
function nginxDeployment(): KubeObject {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "nginx-deployment", namespace: "default" },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: "nginx" } },
      template: {
        metadata: { labels: { app: "nginx" } },
        spec: {
          containers: [{ name: "nginx", image: "nginx:1.7.9", ports: [{ containerPort: 80 }] }],
        },
      },
    },
  };
}

describe("Deployment defaults", () => {
  it("gives the notes' nginx-deployment exactly upstream's defaults", () => {
    const d = nginxDeployment();
    defaultDeployment(d);
    assert.deepEqual(d.spec, {
      replicas: 2,
      selector: { matchLabels: { app: "nginx" } },
      strategy: {
        type: "RollingUpdate",
        rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" },
      },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: {
        metadata: { labels: { app: "nginx" } },
        spec: {
          containers: [
            {
              name: "nginx",
              image: "nginx:1.7.9",
              ports: [{ containerPort: 80, protocol: "TCP" }],
              imagePullPolicy: "IfNotPresent",
              terminationMessagePath: "/dev/termination-log",
              terminationMessagePolicy: "File",
            },
          ],
          restartPolicy: "Always",
          terminationGracePeriodSeconds: 30,
          dnsPolicy: "ClusterFirst",
          securityContext: {},
          schedulerName: "default-scheduler",
        },
      },
    });
  });

  it("validates the defaulted nginx-deployment clean", () => {
    const d = nginxDeployment();
    const strategy = strategyFor("apps", "v1", "Deployment");
    strategy.default?.(d);
    assert.deepEqual(
      validateObjectMeta(d, { namespaced: true, nameRule: strategy.nameRule ?? "subdomain" }),
      [],
    );
    assert.deepEqual(strategy.validate?.(d), []);
  });

  it("defaults replicas to 1 and leaves a Recreate strategy without rollingUpdate", () => {
    const d: KubeObject = { spec: { strategy: { type: "Recreate" } } };
    defaultDeployment(d);
    assert.equal((d.spec as { replicas: number }).replicas, 1);
    assert.deepEqual((d.spec as { strategy: unknown }).strategy, { type: "Recreate" });
  });

  it("keeps values the client set", () => {
    const d: KubeObject = {
      spec: { revisionHistoryLimit: 0, strategy: { rollingUpdate: { maxSurge: 1 } } },
    };
    defaultDeployment(d);
    const spec = d.spec as Record<string, unknown>;
    assert.equal(spec.revisionHistoryLimit, 0);
    assert.deepEqual(spec.strategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 1, maxUnavailable: "25%" },
    });
  });
});

describe("StatefulSet and DaemonSet defaults", () => {
  it("defaults a statefulset like upstream", () => {
    const s: KubeObject = {
      spec: { volumeClaimTemplates: [{ metadata: { name: "data" }, spec: {} }] },
    };
    defaultStatefulSet(s);
    const spec = s.spec as Record<string, unknown>;
    assert.equal(spec.podManagementPolicy, "OrderedReady");
    assert.deepEqual(spec.updateStrategy, {
      type: "RollingUpdate",
      rollingUpdate: { partition: 0 },
    });
    assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, {
      whenDeleted: "Retain",
      whenScaled: "Retain",
    });
    assert.equal(spec.replicas, 1);
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.deepEqual(spec.volumeClaimTemplates, [
      {
        metadata: { name: "data" },
        spec: { volumeMode: "Filesystem" },
        status: { phase: "Pending" },
      },
    ]);
  });

  it("defaults a daemonset to a rolling update of one at a time", () => {
    const ds: KubeObject = { spec: {} };
    defaultDaemonSet(ds);
    const spec = ds.spec as Record<string, unknown>;
    assert.deepEqual(spec.updateStrategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 1, maxSurge: 0 },
    });
    assert.equal(spec.revisionHistoryLimit, 10);
  });
});
