import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultService } from "../../../src/api/defaults/service.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import { validateObjectMeta } from "../../../src/api/validation/metadata.js";
import { validateService, validateServiceUpdate } from "../../../src/api/validation/service.js";
import { messages } from "./helpers.js";

function svc(spec: Record<string, unknown>, name = "web"): KubeObject {
  const s: KubeObject = { metadata: { name, namespace: "default" }, spec };
  defaultService(s);
  return s;
}

describe("validateService", () => {
  const cases: Array<[string, KubeObject, string[]]> = [
    [
      "accepts a plain ClusterIP service",
      svc({ selector: { app: "web" }, ports: [{ port: 80 }] }),
      [],
    ],
    ["requires ports", svc({ selector: { app: "web" } }), ["spec.ports: Required value"]],
    [
      "lets a headless service omit ports",
      svc({ clusterIP: "None", selector: { app: "web" } }),
      [],
    ],
    [
      "requires names when there are several ports",
      svc({ ports: [{ port: 80 }, { port: 443, name: "https" }] }),
      ["spec.ports[0].name: Required value"],
    ],
    [
      "rejects an unknown type",
      svc({ type: "Magic", ports: [{ port: 80 }] }),
      [
        'spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"',
      ],
    ],
    [
      "rejects a port out of range",
      svc({ ports: [{ port: 0, targetPort: 80 }] }),
      ["spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
    ],
    [
      "requires externalName for ExternalName services",
      svc({ type: "ExternalName" }),
      ["spec.externalName: Required value"],
    ],
  ];
  for (const [name, s, want] of cases)
    it(name, () => assert.deepEqual(messages(validateService(s)), want));
});

describe("Service names", () => {
  it("rejects a name starting with a digit (DNS-1035)", () => {
    const errs = validateObjectMeta(svc({ ports: [{ port: 80 }] }, "1web"), {
      namespaced: true,
      nameRule: "dns1035-label",
    });
    assert.deepEqual(messages(errs), [
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ]);
  });
});

describe("validateServiceUpdate", () => {
  it("rejects changing an allocated cluster IP", () => {
    const old = svc({ clusterIP: "10.43.0.5", ports: [{ port: 80 }] });
    const next = svc({ clusterIP: "10.43.0.6", ports: [{ port: 80 }] });
    assert.deepEqual(messages(validateServiceUpdate(next, old)), [
      'spec.clusterIPs[0]: Invalid value: []string{"10.43.0.6"}: may not change once set',
    ]);
  });
});
