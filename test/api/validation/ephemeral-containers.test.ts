import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { defaultPod } from "../../../src/api/defaults/pod.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import { validateEphemeralContainersUpdate } from "../../../src/api/validation/ephemeral-containers.js";
import { validatePodUpdate } from "../../../src/api/validation/pod.js";
import { messages } from "./helpers.js";

type Obj = Record<string, unknown>;

/** A defaulted pod with one app container and these ephemeral containers. */
function pod(ephemeral: Obj[], annotations: Record<string, string> = {}): KubeObject {
  const p: KubeObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "p", namespace: "default", annotations },
    spec: {
      containers: [{ name: "app", image: "nginx" }],
      ...(ephemeral.length ? { ephemeralContainers: ephemeral } : {}),
    },
  };
  defaultPod(p);
  return p;
}

const debugger_ = (extra: Obj = {}) => ({ name: "debugger", image: "busybox", ...extra });

const check = (ephemeral: Obj[], old: Obj[] = []) =>
  messages(validateEphemeralContainersUpdate(pod(ephemeral), pod(old)));

describe("validateEphemeralContainersUpdate", () => {
  it("accepts adding an ephemeral container, defaulted like a container", () => {
    const next = pod([debugger_()]);
    const added = (next.spec as { ephemeralContainers: Obj[] }).ephemeralContainers[0];
    assert.equal(added?.imagePullPolicy, "Always");
    assert.equal(added?.terminationMessagePath, "/dev/termination-log");
    assert.equal(added?.terminationMessagePolicy, "File");
    assert.deepEqual(messages(validateEphemeralContainersUpdate(next, pod([]))), []);
  });

  it("accepts a target that names a container of the pod", () => {
    assert.deepEqual(check([debugger_({ targetContainerName: "app" })]), []);
  });

  it("forbids fields an ephemeral container cannot have, by path", () => {
    const probe = { exec: { command: ["true"] } };
    assert.deepEqual(
      check([
        debugger_({
          ports: [{ containerPort: 80 }],
          livenessProbe: probe,
          readinessProbe: probe,
          startupProbe: probe,
          lifecycle: { preStop: probe },
          resources: { limits: { cpu: "1" } },
          restartPolicy: "Always",
        }),
      ]),
      [
        "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].resources: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].livenessProbe: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].startupProbe: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].lifecycle: Forbidden: cannot be set for an Ephemeral Container",
        "spec.ephemeralContainers[0].restartPolicy: Forbidden: cannot be set for an Ephemeral Container",
      ],
    );
  });

  it("accepts the empty resources and lists kubectl debug sends", () => {
    assert.deepEqual(check([debugger_({ resources: {}, ports: [], resizePolicy: [] })]), []);
    assert.deepEqual(check([debugger_({ resources: { limits: {} } })]), []);
  });

  it("requires a name and an image", () => {
    assert.deepEqual(check([{}]), [
      "spec.ephemeralContainers[0].name: Required value",
      "spec.ephemeralContainers[0].image: Required value",
    ]);
  });

  it("forbids a name another container of the pod has", () => {
    assert.deepEqual(check([debugger_({ name: "app" })]), [
      'spec.ephemeralContainers[0].name: Duplicate value: "app"',
    ]);
    assert.deepEqual(check([debugger_(), debugger_()]), [
      'spec.ephemeralContainers[1].name: Duplicate value: "debugger"',
    ]);
  });

  it("rejects a target container the pod does not have", () => {
    assert.deepEqual(check([debugger_({ targetContainerName: "nope" })]), [
      'spec.ephemeralContainers[0].targetContainerName: Not found: "nope"',
    ]);
  });

  it("forbids removing an existing ephemeral container", () => {
    assert.deepEqual(check([], [debugger_()]), [
      'spec.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be removed\n',
    ]);
  });

  it("forbids changing an existing ephemeral container, naming what changed", () => {
    const errs = check([debugger_({ image: "alpine" })], [debugger_()]);
    assert.equal(errs.length, 1);
    assert.match(
      errs[0] ?? "",
      /^spec\.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be changed\n {2}ephemeralContainers\[debugger\]\.image: "busybox" -> "alpine"/,
    );
  });

  it("accepts existing ones unchanged in another order beside a new one", () => {
    const second = { name: "second", image: "busybox" };
    assert.deepEqual(check([second, debugger_()], [debugger_()]), []);
  });

  it("refuses static pods", () => {
    const mirror = { "kubernetes.io/config.mirror": "abc" };
    const errs = validateEphemeralContainersUpdate(pod([debugger_()], mirror), pod([], mirror));
    assert.deepEqual(
      errs.map((e) => e.detail),
      ["static pods do not support ephemeral containers"],
    );
  });
});

describe("validatePodUpdate and ephemeral containers", () => {
  it("forbids adding one through the pod itself", () => {
    const errs = validatePodUpdate(pod([debugger_()]), pod([]));
    assert.equal(errs.length, 1);
    assert.equal(errs[0]?.field, "spec");
    assert.match(String(errs[0]?.detail), /spec\.ephemeralContainers: null -> \[/);
  });
});
