import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import { EnvError, resourceFieldRefValue } from "../../../src/kubelet/env/index.js";

const app: Container = {
  name: "app",
  resources: {
    requests: { cpu: "250m", memory: "64Mi", "ephemeral-storage": "1Gi", "hugepages-2Mi": "4Mi" },
    limits: { cpu: "1500m", memory: "128Mi", "hugepages-2Mi": "4Mi" },
  },
};
const bare: Container = { name: "bare" };
const zeroLimit: Container = { name: "zero", resources: { limits: { cpu: "0" } } };
const init: Container = { name: "init", resources: { requests: { cpu: "100m" } } };
const pod: Pod = {
  metadata: { name: "p", namespace: "ns" },
  spec: { containers: [app, bare, zeroLimit], initContainers: [init] },
};
const allocatable = { cpu: "4", memory: "8Gi", "ephemeral-storage": "100Gi" };

describe("resourceFieldRefValue", () => {
  // The divisor math is tested with the shared code (test/kubelet/fieldpath); these pick the container.
  const cases: [string, Container, string, string | undefined, string | undefined, string][] = [
    ["own cpu limit, rounded up", app, "limits.cpu", undefined, undefined, "2"],
    ["own cpu request", app, "requests.cpu", "1m", undefined, "250"],
    ["no cpu limit: node allocatable", bare, "limits.cpu", undefined, undefined, "4"],
    ["no memory limit: node allocatable", bare, "limits.memory", "1Gi", undefined, "8"],
    ["zero limit: node allocatable", zeroLimit, "limits.cpu", "1m", undefined, "4000"],
    ["another container by name", bare, "limits.memory", "1Mi", "app", "128"],
    [
      "another container by name gets allocatable defaults",
      app,
      "limits.cpu",
      undefined,
      "bare",
      "4",
    ],
    ["an init container by name, without defaults", app, "limits.cpu", undefined, "init", "0"],
    ["an init container's request", app, "requests.cpu", "1m", "init", "100"],
  ];
  for (const [name, container, resource, divisor, containerName, want] of cases) {
    it(name, () => {
      const fs = {
        resource,
        ...(divisor !== undefined ? { divisor } : {}),
        ...(containerName !== undefined ? { containerName } : {}),
      };
      assert.equal(resourceFieldRefValue(pod, container, fs, allocatable), want);
    });
  }

  const errors: [string, string, string | undefined, string][] = [
    [
      "unsupported resource",
      "limits.pods",
      undefined,
      "unsupported container resource : limits.pods",
    ],
    ["unknown container", "limits.cpu", "nope", "container nope not found"],
  ];
  for (const [name, resource, containerName, message] of errors) {
    it(`error: ${name}`, () => {
      const fs = { resource, ...(containerName !== undefined ? { containerName } : {}) };
      assert.throws(
        () => resourceFieldRefValue(pod, app, fs, allocatable),
        (err: unknown) => err instanceof EnvError && err.message === message,
      );
    });
  }
});
