import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import {
  type EnvContext,
  EnvError,
  fieldRefValue,
  sortPodIPs,
} from "../../../src/kubelet/env/index.js";

const pod: Pod = {
  metadata: {
    name: "web-0",
    namespace: "shop",
    uid: "1234-abcd",
    labels: { app: "web", "example.com/tier": "front" },
    annotations: { "b.io/note": 'say "hi"\n', a: "1" },
  },
  spec: { nodeName: "node-a", serviceAccountName: "builder", containers: [{ name: "c" }] },
};

const ctx: EnvContext = {
  nodeName: "node-a",
  podIPs: ["fd00::5", "10.1.0.5"],
  hostIPs: ["192.168.1.10", "fd00::10"],
  nodeAllocatable: {},
};

describe("fieldRefValue", () => {
  const cases: [string, EnvContext, string][] = [
    ["metadata.name", ctx, "web-0"],
    ["metadata.annotations", ctx, 'a="1"\nb.io/note="say \\"hi\\"\\n"'],
    ["metadata.labels['example.com/tier']", ctx, "front"],
    ["spec.nodeName", ctx, "node-a"],
    ["spec.host", ctx, "node-a"],
    ["spec.serviceAccountName", ctx, "builder"],
    ["status.hostIP", ctx, "192.168.1.10"],
    ["status.hostIPs", ctx, "192.168.1.10,fd00::10"],
    ["status.hostIP", { ...ctx, hostIPs: [], hostIP: "10.0.0.1" }, "10.0.0.1"],
    ["status.podIP", ctx, "10.1.0.5"],
    ["status.podIPs", ctx, "10.1.0.5,fd00::5"],
    ["status.podIP", { ...ctx, hostIPs: ["fd00::10", "192.168.1.10"] }, "fd00::5"],
    ["status.podIPs", { ...ctx, hostIPs: ["fd00::10"] }, "fd00::5,10.1.0.5"],
    ["status.podIP", { nodeName: "n", podIP: "10.1.0.7", nodeAllocatable: {} }, "10.1.0.7"],
    ["status.podIP", { nodeName: "n", nodeAllocatable: {} }, ""],
  ];
  for (const [path, c, want] of cases) {
    it(`${path} → ${JSON.stringify(want)}`, () => {
      assert.equal(fieldRefValue(pod, { fieldPath: path }, c), want);
    });
  }

  it("spec.nodeName falls back to the kubelet's node when the pod has none", () => {
    const unbound: Pod = { metadata: { name: "p" }, spec: { containers: [] } };
    assert.equal(fieldRefValue(unbound, { fieldPath: "spec.nodeName" }, ctx), "node-a");
  });

  const errors: [string, { fieldPath: string; apiVersion?: string }, EnvContext, string][] = [
    [
      "another API version",
      { apiVersion: "v2", fieldPath: "metadata.name" },
      ctx,
      "unsupported pod version: v2",
    ],
    [
      "an unknown field",
      { fieldPath: "spec.dnsPolicy" },
      ctx,
      "field label not supported: spec.dnsPolicy",
    ],
    [
      "a subscript on a plain field",
      { fieldPath: "metadata.name['x']" },
      ctx,
      "field label does not support subscript: metadata.name['x']",
    ],
    [
      "accepted by conversion but without a value",
      { fieldPath: "status.phase" },
      ctx,
      "unsupported fieldPath: status.phase",
    ],
    [
      "an invalid label key",
      { fieldPath: "metadata.labels['a b']" },
      ctx,
      "invalid key subscript in metadata.labels['a b']: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
    [
      "no host IP known",
      { fieldPath: "status.hostIP" },
      { nodeName: "n", nodeAllocatable: {} },
      "host IP unknown; known addresses: []",
    ],
  ];
  for (const [name, fs, c, message] of errors) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => fieldRefValue(pod, fs, c),
        (err: unknown) => err instanceof EnvError && err.message === message,
      );
    });
  }
});

describe("sortPodIPs", () => {
  const cases: [string, string[], string[], string[]][] = [
    ["IPv4 node: IPv4 first", ["fd00::1", "10.0.0.1"], ["192.168.0.1"], ["10.0.0.1", "fd00::1"]],
    ["IPv6 node: IPv6 first", ["10.0.0.1", "fd00::1"], ["fd00::a"], ["fd00::1", "10.0.0.1"]],
    ["no node IP: IPv4 first", ["fd00::1", "10.0.0.1"], [], ["10.0.0.1", "fd00::1"]],
    ["one per family, junk dropped", ["10.0.0.1", "10.0.0.2", "nope"], [], ["10.0.0.1"]],
  ];
  for (const [name, ips, node, want] of cases)
    it(name, () => assert.deepEqual(sortPodIPs(ips, node), want));
});
