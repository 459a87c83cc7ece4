import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  apiServicePrinter,
  certificateSigningRequestPrinter,
  validatingWebhookConfigurationPrinter,
} from "../../../src/api/tables/cluster.js";
import { ago, MIN, NOW, obj } from "./fixtures.js";

describe("cluster machinery printers", () => {
  it("prints an approved, issued CSR with its requested duration", () => {
    const csr = obj({
      metadata: { name: "node-csr-abc", creationTimestamp: ago(MIN) },
      spec: {
        signerName: "kubernetes.io/kube-apiserver-client-kubelet",
        username: "system:bootstrap:abcdef",
        expirationSeconds: 86400,
      },
      status: { conditions: [{ type: "Approved", status: "True" }], certificate: "LS0t" },
    });
    assert.deepEqual(certificateSigningRequestPrinter.row(csr, NOW), [
      "node-csr-abc",
      "60s",
      "kubernetes.io/kube-apiserver-client-kubelet",
      "system:bootstrap:abcdef",
      "24h",
      "Approved,Issued",
    ]);
  });

  it("prints a pending CSR without a duration", () => {
    const csr = obj({ metadata: { name: "c" }, spec: { signerName: "x", username: "u" } });
    assert.deepEqual(certificateSigningRequestPrinter.row(csr, NOW).slice(4), [
      "<none>",
      "Pending",
    ]);
  });

  it("counts webhooks", () => {
    const cfg = obj({ metadata: { name: "v" }, webhooks: [{ name: "a" }, { name: "b" }] });
    assert.equal(validatingWebhookConfigurationPrinter.row(cfg, NOW)[1], 2);
  });

  it("prints an API service's backing service and availability", () => {
    const local = obj({
      metadata: { name: "v1.apps" },
      spec: { group: "apps", version: "v1" },
      status: { conditions: [{ type: "Available", status: "True", reason: "Local" }] },
    });
    assert.deepEqual(apiServicePrinter.row(local, NOW).slice(0, 3), ["v1.apps", "Local", "True"]);
    const metrics = obj({
      metadata: { name: "v1beta1.metrics.k8s.io" },
      spec: { service: { namespace: "kube-system", name: "metrics-server" } },
      status: {
        conditions: [{ type: "Available", status: "False", reason: "MissingEndpoints" }],
      },
    });
    assert.deepEqual(apiServicePrinter.row(metrics, NOW).slice(1, 3), [
      "kube-system/metrics-server",
      "False (MissingEndpoints)",
    ]);
  });
});
