import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { downwardAPIPayload, fieldRefValue } from "../../../src/kubelet/volumes/downward-api.js";
import { resourceFieldValue } from "../../../src/kubelet/volumes/resource-field.js";

const pod: Pod = {
  metadata: {
    name: "web-0",
    namespace: "shop",
    uid: "1234-abcd",
    labels: { tier: "front", app: "web" },
    annotations: { "example.com/note": 'say "hi"\nbye', a: "ü\ttab" },
  },
  spec: {
    nodeName: "node-1",
    serviceAccountName: "builder",
    containers: [
      {
        name: "app",
        resources: {
          limits: { cpu: "500m", memory: "128Mi" },
          requests: { cpu: "250m", memory: "64Mi", "ephemeral-storage": "1Gi" },
        },
      },
      { name: "sidecar" },
    ],
    initContainers: [{ name: "init", resources: { limits: { cpu: "2" } } }],
  },
};

describe("downward API field values", () => {
  it('formats labels as sorted key="value" lines without a trailing newline', () => {
    assert.equal(fieldRefValue(pod, { fieldPath: "metadata.labels" }), 'app="web"\ntier="front"');
  });

  it("reads name, namespace, uid, nodeName and serviceAccountName", () => {
    const read = (fieldPath: string) => fieldRefValue(pod, { fieldPath });
    assert.equal(read("metadata.name"), "web-0");
    assert.equal(read("metadata.namespace"), "shop");
    assert.equal(read("metadata.uid"), "1234-abcd");
    assert.equal(read("spec.nodeName"), "node-1");
    assert.equal(read("spec.serviceAccountName"), "builder");
  });

  it("reads one label or annotation by subscript", () => {
    assert.equal(fieldRefValue(pod, { fieldPath: "metadata.labels['tier']" }), "front");
  });

  it("rejects the env-only status fields", () => {
    assert.throws(
      () => fieldRefValue(pod, { fieldPath: "status.podIP" }),
      /unsupported fieldPath: status\.podIP/,
    );
  });
});

describe("downward API resource fields", () => {
  const value = (resource: string, divisor?: string, containerName = "app") =>
    resourceFieldValue(
      { containerName, resource, ...(divisor === undefined ? {} : { divisor }) },
      pod,
      { cpu: "4", memory: "8Gi", "ephemeral-storage": "100Gi" },
    );

  it("reads the named container's limits and requests", () => {
    assert.equal(value("limits.cpu", "1m"), "500");
    assert.equal(value("requests.memory", "1Mi"), "64");
  });

  it("reads unset limits as the node's allocatable", () => {
    assert.equal(value("limits.cpu", undefined, "sidecar"), "4");
    assert.equal(value("limits.memory", "1Gi", "sidecar"), "8");
    assert.equal(value("limits.ephemeral-storage", "1Gi", "app"), "100");
  });

  it("finds init containers, whose unset limits also read as the node's allocatable", () => {
    assert.equal(value("limits.cpu", "1m", "init"), "2000");
    assert.equal(value("limits.memory", "1Gi", "init"), "8");
  });

  it("rejects unknown containers and resources", () => {
    assert.throws(() => value("limits.cpu", undefined, "ghost"), /container ghost not found/);
    assert.throws(() => value("limits.gpu"), /unsupported container resource : limits\.gpu/);
    assert.throws(() => value("limits.cpu", undefined, ""), /container {2}not found/);
  });
});

describe("downward API payloads", () => {
  it("writes one file per item with item mode over defaultMode", () => {
    const payload = downwardAPIPayload(
      [
        { path: "labels", fieldRef: { fieldPath: "metadata.labels" } },
        {
          path: "cpu",
          resourceFieldRef: { containerName: "app", resource: "limits.cpu", divisor: "1m" },
          mode: 0o400,
        },
      ],
      pod,
      { defaultMode: 0o444 },
    );
    assert.deepEqual(
      [...payload].map(([p, f]) => [p, Buffer.from(f.data).toString(), f.mode]),
      [
        ["labels", 'app="web"\ntier="front"', 0o444],
        ["cpu", "500", 0o400],
      ],
    );
  });

  it("reports every failing item at once", () => {
    assert.throws(
      () =>
        downwardAPIPayload(
          [
            { path: "a", fieldRef: { fieldPath: "status.hostIP" } },
            { path: "b", fieldRef: { fieldPath: "spec.hostname" } },
          ],
          pod,
        ),
      /^Error: \[unsupported fieldPath: status\.hostIP, unsupported fieldPath: spec\.hostname\]$/,
    );
  });
});
