import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import {
  containerResourceValue,
  FieldPathError,
  findContainer,
  limitsWithAllocatable,
  type ResourceLists,
} from "../../../src/kubelet/fieldpath/index.js";
import { FORMAT_WRONG } from "../../../src/machinery/quantity/index.js";

const requests = {
  cpu: "250m",
  memory: "64Mi",
  "ephemeral-storage": "1Gi",
  "hugepages-2Mi": "4Mi",
};
const limits = { cpu: "1500m", memory: "128Mi", "hugepages-2Mi": "4Mi" };
const lists: ResourceLists = { requests, limits };
const app: Container = { name: "app", resources: { requests, limits } };
const bare: Container = { name: "bare" };
const allocatable = { cpu: "4", memory: "8Gi", "ephemeral-storage": "100Gi" };

function isFieldPathError(message: string) {
  return (err: unknown) => err instanceof FieldPathError && err.message === message;
}

describe("containerResourceValue", () => {
  const cases: [string, string, string | undefined, string][] = [
    ["cpu limit in cores, rounded up", "limits.cpu", undefined, "2"],
    ["cpu limit in millicores", "limits.cpu", "1m", "1500"],
    ["cpu request, divisor 1, rounded up", "requests.cpu", "1", "1"],
    ["cpu request in millicores", "requests.cpu", "1m", "250"],
    ["divisor 0 means 1", "requests.cpu", "0", "1"],
    ["memory limit in bytes", "limits.memory", undefined, "134217728"],
    ["memory limit in Mi", "limits.memory", "1Mi", "128"],
    ["memory limit in G, rounded up", "limits.memory", "1G", "1"],
    ["memory request in M, rounded up", "requests.memory", "1M", "68"],
    ["ephemeral-storage request in Gi", "requests.ephemeral-storage", "1Gi", "1"],
    ["ephemeral-storage request in Mi", "requests.ephemeral-storage", "1Mi", "1024"],
    ["hugepages request", "requests.hugepages-2Mi", "1Mi", "4"],
    ["hugepages limit", "limits.hugepages-2Mi", "1Mi", "4"],
    ["an unset limit is 0", "limits.ephemeral-storage", undefined, "0"],
  ];
  for (const [name, resource, divisor, want] of cases) {
    it(name, () => {
      const fs = { resource, ...(divisor !== undefined ? { divisor } : {}) };
      assert.equal(containerResourceValue(fs, lists), want);
    });
  }

  it("reads no lists as 0", () => {
    assert.equal(containerResourceValue({ resource: "requests.memory" }, {}), "0");
  });

  it("tolerates a bare number as a quantity", () => {
    assert.equal(
      containerResourceValue({ resource: "limits.cpu", divisor: "1m" }, { limits: { cpu: 2 } }),
      "2000",
    );
  });

  const errors: [string, string, string | undefined, ResourceLists, string][] = [
    [
      "an unsupported resource",
      "limits.pods",
      undefined,
      lists,
      "unsupported container resource : limits.pods",
    ],
    [
      "an unsupported resource name",
      "limits.gpu",
      undefined,
      lists,
      "unsupported container resource : limits.gpu",
    ],
    ["no list", "cpu", undefined, lists, "unsupported container resource : cpu"],
    [
      "an unknown list",
      "claims.cpu",
      undefined,
      lists,
      "unsupported container resource : claims.cpu",
    ],
    ["a negative divisor", "limits.cpu", "-1", lists, "invalid divisor -1: must be positive"],
    ["a bad divisor", "limits.cpu", "x", lists, FORMAT_WRONG],
    ["a bad amount", "limits.cpu", undefined, { limits: { cpu: "lots" } }, FORMAT_WRONG],
  ];
  for (const [name, resource, divisor, given, message] of errors) {
    it(`error: ${name}`, () => {
      const fs = { resource, ...(divisor !== undefined ? { divisor } : {}) };
      assert.throws(() => containerResourceValue(fs, given), isFieldPathError(message));
    });
  }
});

describe("limitsWithAllocatable", () => {
  it("fills unset cpu, memory and ephemeral-storage, keeps set limits and does not touch the container", () => {
    assert.deepEqual(limitsWithAllocatable(app, allocatable), {
      cpu: "1500m",
      memory: "128Mi",
      "hugepages-2Mi": "4Mi",
      "ephemeral-storage": "100Gi",
    });
    assert.deepEqual(limitsWithAllocatable(bare, allocatable), allocatable);
    assert.equal(bare.resources, undefined);
  });

  it("replaces a zero limit", () => {
    const zero: Container = { name: "zero", resources: { limits: { cpu: "0", memory: "0" } } };
    assert.deepEqual(limitsWithAllocatable(zero, { cpu: "4" }), { cpu: "4", memory: "0" });
  });

  it("never defaults hugepages, and leaves limits alone without allocatable", () => {
    assert.deepEqual(limitsWithAllocatable(bare, {}), {});
    assert.deepEqual(
      limitsWithAllocatable(
        { name: "h", resources: { limits: { "hugepages-2Mi": "0" } } },
        allocatable,
      ),
      {
        "hugepages-2Mi": "0",
        ...allocatable,
      },
    );
  });
});

describe("findContainer", () => {
  const init: Container = { name: "app", resources: { limits: { cpu: "2" } } };
  const only: Container = { name: "init-only" };
  const pod: Pod = { spec: { containers: [app, bare], initContainers: [init, only] } };

  it("prefers a regular container over an init container of the same name", () => {
    assert.equal(findContainer(pod, "app"), app);
  });

  it("finds init containers", () => assert.equal(findContainer(pod, "init-only"), only));

  it("finds ephemeral containers, as Containers", () => {
    const withDebugger: Pod = {
      spec: {
        ...pod.spec,
        containers: [app],
        ephemeralContainers: [{ name: "debugger", image: "busybox", targetContainerName: "app" }],
      },
    };
    assert.deepEqual(findContainer(withDebugger, "debugger"), {
      name: "debugger",
      image: "busybox",
    });
  });

  it("fails for an unknown name", () => {
    assert.throws(() => findContainer(pod, "ghost"), isFieldPathError("container ghost not found"));
    assert.throws(() => findContainer({}, ""), isFieldPathError("container  not found"));
  });
});
