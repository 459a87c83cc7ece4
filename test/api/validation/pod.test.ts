import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPod } from "../../../src/api/defaults/pod.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import {
  validatePod,
  validatePodStatusUpdate,
  validatePodUpdate,
} from "../../../src/api/validation/pod.js";
import { messages } from "./helpers.js";

type Spec = Record<string, unknown>;

/** A defaulted pod around the given spec, as the API server validates it. */
function pod(spec: Spec): KubeObject {
  const p: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default" },
    spec,
  };
  defaultPod(p);
  return p;
}

const nginx = () => ({ name: "nginx", image: "nginx:1.7.9" });

describe("validatePod", () => {
  const cases: Array<[string, Spec, string[]]> = [
    ["accepts a minimal pod", { containers: [nginx()] }, []],
    ["requires containers", {}, ["spec.containers: Required value"]],
    [
      "requires containers to be non-empty",
      { containers: [] },
      ["spec.containers: Required value"],
    ],
    [
      "rejects duplicate container names",
      { containers: [nginx(), nginx()] },
      ['spec.containers[1].name: Duplicate value: "nginx"'],
    ],
    [
      "rejects an init container named like an app container",
      { containers: [nginx()], initContainers: [nginx()] },
      ['spec.initContainers[0].name: Duplicate value: "nginx"'],
    ],
    [
      "requires an image",
      { containers: [{ name: "c" }] },
      ["spec.containers[0].image: Required value"],
    ],
    [
      "requires container names to be DNS labels",
      { containers: [{ name: "Web", image: "x" }] },
      [
        `spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
      ],
    ],
    [
      "rejects a port out of range",
      { containers: [{ ...nginx(), ports: [{ containerPort: 70000 }] }] },
      [
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
      ],
    ],
    [
      "rejects an unknown protocol",
      { containers: [{ ...nginx(), ports: [{ containerPort: 80, protocol: "HTTP" }] }] },
      [
        'spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      ],
    ],
    [
      "rejects a mount of a volume that does not exist",
      { containers: [{ ...nginx(), volumeMounts: [{ name: "data", mountPath: "/data" }] }] },
      ['spec.containers[0].volumeMounts[0].name: Not found: "data"'],
    ],
    [
      "rejects requests above limits",
      { containers: [{ ...nginx(), resources: { requests: { cpu: "2" }, limits: { cpu: "1" } } }] },
      [
        'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
      ],
    ],
    [
      "rejects a probe without a handler",
      { containers: [{ ...nginx(), livenessProbe: { periodSeconds: 5 } }] },
      ["spec.containers[0].livenessProbe: Required value: must specify a handler type"],
    ],
    [
      "rejects a probe with two handlers",
      {
        containers: [
          { ...nginx(), readinessProbe: { exec: { command: ["true"] }, tcpSocket: { port: 80 } } },
        ],
      },
      [
        "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type",
      ],
    ],
    [
      "rejects an unknown restartPolicy",
      { containers: [nginx()], restartPolicy: "Sometimes" },
      [
        'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
      ],
    ],
    [
      "rejects a volume with two sources",
      { containers: [nginx()], volumes: [{ name: "v", emptyDir: {}, hostPath: { path: "/tmp" } }] },
      ["spec.volumes[0].hostPath: Forbidden: may not specify more than 1 volume type"],
    ],
    [
      "rejects duplicate volume names",
      {
        containers: [nginx()],
        volumes: [
          { name: "v", emptyDir: {} },
          { name: "v", emptyDir: {} },
        ],
      },
      ['spec.volumes[1].name: Duplicate value: "v"'],
    ],
    [
      "rejects a toleration with an unknown operator",
      { containers: [nginx()], tolerations: [{ key: "k", operator: "Maybe" }] },
      [
        'spec.tolerations[0].operator: Unsupported value: "Maybe": supported values: "Equal", "Exists"',
      ],
    ],
    [
      "rejects an empty node selector term list",
      {
        containers: [nginx()],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] },
          },
        },
      },
      [
        "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term",
      ],
    ],
    [
      "rejects an invalid env var name",
      { containers: [{ ...nginx(), env: [{ name: "A=B", value: "x" }] }] },
      [
        `spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
      ],
    ],
  ];
  for (const [name, spec, want] of cases) {
    it(name, () => assert.deepEqual(messages(validatePod(pod(spec))), want));
  }
});

describe("validatePodUpdate", () => {
  it("allows changing a container image", () => {
    const old = pod({ containers: [nginx()] });
    const next = structuredClone(old);
    const first = (next.spec as { containers: Array<{ image: string }> }).containers[0];
    assert.ok(first);
    first.image = "nginx:1.9";
    assert.deepEqual(validatePodUpdate(next, old), []);
  });

  it("forbids changing other spec fields", () => {
    const old = pod({ containers: [nginx()] });
    const next = structuredClone(old);
    (next.spec as Spec).restartPolicy = "Never";
    const errs = validatePodUpdate(next, old);
    assert.equal(errs.length, 1);
    assert.equal(errs[0]?.field, "spec");
    assert.match(
      String(errs[0]?.detail),
      /^pod updates may not change fields other than `spec.containers\[\*\].image`,`spec.initContainers\[\*\].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` \(only additions to existing tolerations\),`spec.terminationGracePeriodSeconds` \(allow it to be set to 1 if it was previously negative\)\n/,
    );
  });

  it("forbids adding a container", () => {
    const old = pod({ containers: [nginx()] });
    const next = pod({ containers: [nginx(), { name: "b", image: "busybox" }] });
    assert.deepEqual(messages(validatePodUpdate(next, old)), [
      "spec.containers: Forbidden: pod updates may not add or remove containers",
    ]);
  });
});

describe("validatePodStatusUpdate", () => {
  it("forbids changing the node through status", () => {
    const old = pod({ containers: [nginx()] });
    const next = structuredClone(old);
    (next.spec as Spec).nodeName = "n1";
    assert.deepEqual(messages(validatePodStatusUpdate(next, old)), [
      "status.nodeName: Forbidden: may not be changed directly",
    ]);
  });
});
