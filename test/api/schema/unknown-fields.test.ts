import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pruneUnknownFields, unknownFields } from "../../../src/api/schema/index.js";

const DEPLOYMENT = { group: "apps", version: "v1", kind: "Deployment" };
const POD = { group: "", version: "v1", kind: "Pod" };

/** The notes' nginx-deployment manifest. */
function nginxDeployment(): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "nginx-deployment", labels: { app: "nginx" } },
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

describe("unknownFields", () => {
  it("accepts the nginx deployment manifest", () => {
    assert.deepEqual(unknownFields(nginxDeployment(), DEPLOYMENT), []);
  });

  it("reports unknown fields in document order with dotted paths and list indexes", () => {
    const d = nginxDeployment();
    const spec = d.spec as Record<string, unknown>;
    const metadata = d.metadata as Record<string, unknown>;
    const podSpec = (spec.template as { spec: { containers: Array<Record<string, unknown>> } })
      .spec;
    const container = podSpec.containers[0] ?? {};
    const port = (container.ports as Array<Record<string, unknown>>)[0] ?? {};
    spec.foo = 1;
    metadata.bogus = "x";
    port.port = 80;
    container.imagePullPolicyy = "Always";
    assert.deepEqual(unknownFields(d, DEPLOYMENT), [
      "metadata.bogus",
      "spec.template.spec.containers[0].ports[0].port",
      "spec.template.spec.containers[0].imagePullPolicyy",
      "spec.foo",
    ]);
  });

  it("accepts any keys in maps and any value in free-form fields", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "p",
        annotations: { "example.com/anything": "yes" },
        managedFields: [{ manager: "kubectl", fieldsV1: { "f:metadata": { "f:labels": {} } } }],
      },
      spec: {
        nodeSelector: { "kubernetes.io/os": "linux" },
        containers: [
          {
            name: "c",
            image: "busybox",
            resources: { limits: { cpu: "500m", memory: 128 }, requests: { "example.com/gpu": 1 } },
            livenessProbe: { httpGet: { port: "http", path: "/" } },
          },
        ],
      },
    };
    assert.deepEqual(unknownFields(pod, POD), []);
  });

  it("leaves type mismatches and nulls to other checks", () => {
    const pod = { apiVersion: "v1", kind: "Pod", metadata: null, spec: { containers: "nope" } };
    assert.deepEqual(unknownFields(pod, POD), []);
  });

  it("reports nothing for kinds without a definition", () => {
    const cr = { apiVersion: "example.com/v1", kind: "Widget", spec: { anything: true } };
    assert.deepEqual(
      unknownFields(cr, { group: "example.com", version: "v1", kind: "Widget" }),
      [],
    );
  });
});

describe("pruneUnknownFields", () => {
  it("drops exactly the fields unknownFields reports", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", labels: { keep: "me" }, bogus: 1 },
      spec: { containers: [{ name: "c", image: "busybox", extra: true }], alsoBogus: {} },
    };
    pruneUnknownFields(pod, POD);
    assert.deepEqual(pod, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p", labels: { keep: "me" } },
      spec: { containers: [{ name: "c", image: "busybox" }] },
    });
    assert.deepEqual(unknownFields(pod, POD), []);
  });
});
