import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PodSpec } from "kubernetes-types/core/v1.js";
import {
  mirrorPodProblem,
  mountServiceAccountToken,
  SERVICE_ACCOUNT_MOUNT_PATH,
  shouldAutomount,
  tokenVolumeSource,
} from "../../../src/apiserver/admission/service-account-volume.js";

const named = (prefix: string) => `${prefix}abcde`;
const MOUNT = {
  name: "kube-api-access-abcde",
  readOnly: true,
  mountPath: SERVICE_ACCOUNT_MOUNT_PATH,
};

describe("the service account token volume", () => {
  it("is mounted read-only in every container and init container, and added once", () => {
    const spec: PodSpec = {
      initContainers: [{ name: "init" }],
      containers: [
        { name: "a", volumeMounts: [{ name: "data", mountPath: "/data" }] },
        { name: "b" },
      ],
      ephemeralContainers: [{ name: "debug" }],
      volumes: [{ name: "data", emptyDir: {} }],
    };
    mountServiceAccountToken(spec, named);
    assert.deepEqual(spec.initContainers?.[0]?.volumeMounts, [MOUNT]);
    assert.deepEqual(spec.containers[0]?.volumeMounts, [
      { name: "data", mountPath: "/data" },
      MOUNT,
    ]);
    assert.deepEqual(spec.containers[1]?.volumeMounts, [MOUNT]);
    assert.equal(spec.ephemeralContainers?.[0]?.volumeMounts, undefined);
    assert.deepEqual(spec.volumes, [
      { name: "data", emptyDir: {} },
      { name: "kube-api-access-abcde", projected: tokenVolumeSource() },
    ]);
  });

  it("projects the token, the cluster CA and the namespace exactly as upstream", () => {
    assert.deepEqual(tokenVolumeSource(), {
      defaultMode: 420,
      sources: [
        { serviceAccountToken: { path: "token", expirationSeconds: 3607 } },
        { configMap: { name: "kube-root-ca.crt", items: [{ key: "ca.crt", path: "ca.crt" }] } },
        {
          downwardAPI: {
            items: [
              {
                path: "namespace",
                fieldRef: { apiVersion: "v1", fieldPath: "metadata.namespace" },
              },
            ],
          },
        },
      ],
    });
  });

  it("leaves containers that mount something at the path alone; none needing it adds no volume", () => {
    const own = { name: "mine", mountPath: SERVICE_ACCOUNT_MOUNT_PATH };
    const spec: PodSpec = { containers: [{ name: "a", volumeMounts: [own] }] };
    mountServiceAccountToken(spec, named);
    assert.deepEqual(spec.containers[0]?.volumeMounts, [own]);
    assert.equal(spec.volumes, undefined);
  });

  it("reuses a kube-api-access volume the pod already has", () => {
    const spec: PodSpec = {
      containers: [{ name: "a" }],
      volumes: [{ name: "kube-api-access-zzzzz", projected: tokenVolumeSource() }],
    };
    mountServiceAccountToken(spec, named);
    assert.equal(spec.volumes?.length, 1);
    assert.equal(spec.containers[0]?.volumeMounts?.[0]?.name, "kube-api-access-zzzzz");
  });

  it("is automounted unless the pod, or else the service account, says no", () => {
    assert.equal(shouldAutomount({}, {}), true);
    assert.equal(shouldAutomount({ automountServiceAccountToken: false }, {}), false);
    assert.equal(
      shouldAutomount(
        { automountServiceAccountToken: false },
        { automountServiceAccountToken: true },
      ),
      true,
    );
    assert.equal(
      shouldAutomount(
        { automountServiceAccountToken: true },
        { automountServiceAccountToken: false },
      ),
      false,
    );
  });
});

describe("mirror pods", () => {
  it("may reference no service account, secret or token projection", () => {
    assert.equal(mirrorPodProblem({ containers: [{ name: "a" }] }), undefined);
    assert.equal(
      mirrorPodProblem({ serviceAccountName: "default", containers: [] }),
      "a mirror pod may not reference service accounts",
    );
    assert.equal(
      mirrorPodProblem({ containers: [], volumes: [{ name: "s", secret: { secretName: "x" } }] }),
      "a mirror pod may not reference secrets",
    );
    assert.equal(
      mirrorPodProblem({
        containers: [
          { name: "a", env: [{ name: "P", valueFrom: { secretKeyRef: { name: "x", key: "k" } } }] },
        ],
      }),
      "a mirror pod may not reference secrets",
    );
    assert.equal(
      mirrorPodProblem({
        containers: [],
        volumes: [{ name: "t", projected: { sources: [{ serviceAccountToken: { path: "t" } }] } }],
      }),
      "a mirror pod may not use ServiceAccountToken volume projections",
    );
  });
});
