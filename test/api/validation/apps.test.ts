import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  defaultDaemonSet,
  defaultDeployment,
  defaultStatefulSet,
} from "../../../src/api/defaults/apps.js";
import type { KubeObject } from "../../../src/api/strategy.js";
import {
  validateDaemonSet,
  validateDeployment,
  validateDeploymentUpdate,
  validateStatefulSet,
  validateStatefulSetUpdate,
} from "../../../src/api/validation/apps.js";
import { messages } from "./helpers.js";

type Spec = Record<string, unknown>;

function template(labels: Record<string, string> | undefined, restartPolicy?: string) {
  return {
    metadata: labels === undefined ? {} : { labels },
    spec: {
      containers: [{ name: "nginx", image: "nginx:1.7.9" }],
      ...(restartPolicy ? { restartPolicy } : {}),
    },
  };
}

function deployment(spec: Spec): KubeObject {
  const d: KubeObject = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default" },
    spec,
  };
  defaultDeployment(d);
  return d;
}

describe("validateDeployment", () => {
  it("accepts a selector matching the template labels", () => {
    const d = deployment({
      selector: { matchLabels: { app: "nginx" } },
      template: template({ app: "nginx" }),
    });
    assert.deepEqual(validateDeployment(d), []);
  });

  it("reports a selector that does not match the template labels", () => {
    const d = deployment({
      selector: { matchLabels: { app: "nginx" } },
      template: template({ app: "x" }),
    });
    assert.deepEqual(messages(validateDeployment(d)), [
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"x"}: `selector` does not match template `labels`',
    ]);
  });

  it("reports the mismatch on the template labels path", () => {
    const d = deployment({
      selector: { matchLabels: { app: "nginx" } },
      template: template({ app: "x" }),
    });
    const errs = validateDeployment(d);
    assert.deepEqual(
      errs.map((e) => [e.type, e.field, e.detail]),
      [
        [
          "FieldValueInvalid",
          "spec.template.metadata.labels",
          "`selector` does not match template `labels`",
        ],
      ],
    );
  });

  it("requires a selector, and then no template matches", () => {
    const d = deployment({ template: template({ app: "nginx" }) });
    assert.deepEqual(messages(validateDeployment(d)), [
      "spec.selector: Required value",
      'spec.template.metadata.labels: Invalid value: map[string]string{"app":"nginx"}: `selector` does not match template `labels`',
    ]);
  });

  it("rejects an empty selector", () => {
    const d = deployment({ selector: {}, template: template({ app: "nginx" }) });
    assert.deepEqual(messages(validateDeployment(d)), [
      "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment",
    ]);
  });

  it("requires restartPolicy Always in the template", () => {
    const d = deployment({
      selector: { matchLabels: { app: "nginx" } },
      template: template({ app: "nginx" }, "Never"),
    });
    assert.deepEqual(messages(validateDeployment(d)), [
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    ]);
  });

  it("rejects maxUnavailable and maxSurge both zero", () => {
    const d = deployment({
      selector: { matchLabels: { app: "nginx" } },
      template: template({ app: "nginx" }),
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } },
    });
    assert.deepEqual(messages(validateDeployment(d)), [
      "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0",
    ]);
  });

  it("rejects negative replicas", () => {
    const d = deployment({
      replicas: -1,
      selector: { matchLabels: { app: "nginx" } },
      template: template({ app: "nginx" }),
    });
    assert.deepEqual(messages(validateDeployment(d)), [
      "spec.replicas: Invalid value: -1: must be greater than or equal to 0",
    ]);
  });
});

describe("validateDeploymentUpdate", () => {
  const old = deployment({
    selector: { matchLabels: { app: "nginx" } },
    template: template({ app: "nginx" }),
  });

  it("accepts an unchanged selector", () => {
    const next = structuredClone(old);
    (next.spec as Spec).replicas = 5;
    assert.deepEqual(validateDeploymentUpdate(next, old), []);
  });

  it("reports a changed selector as immutable", () => {
    const next = deployment({
      selector: { matchLabels: { app: "web" } },
      template: template({ app: "web" }),
    });
    assert.deepEqual(messages(validateDeploymentUpdate(next, old)), [
      'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"web"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable',
    ]);
  });

  it("reports a changed selector on spec.selector with field is immutable", () => {
    const next = deployment({
      selector: { matchLabels: { app: "web" } },
      template: template({ app: "web" }),
    });
    assert.deepEqual(
      validateDeploymentUpdate(next, old).map((e) => [e.field, e.detail]),
      [["spec.selector", "field is immutable"]],
    );
  });
});

describe("StatefulSet and DaemonSet", () => {
  const sts = (spec: Spec) => {
    const s: KubeObject = { metadata: { name: "db", namespace: "default" }, spec };
    defaultStatefulSet(s);
    return s;
  };

  it("accepts a defaulted statefulset", () => {
    assert.deepEqual(
      validateStatefulSet(
        sts({ selector: { matchLabels: { a: "b" } }, template: template({ a: "b" }) }),
      ),
      [],
    );
  });

  it("forbids changing the service name of a statefulset", () => {
    const old = sts({
      serviceName: "db",
      selector: { matchLabels: { a: "b" } },
      template: template({ a: "b" }),
    });
    const next = structuredClone(old);
    (next.spec as Spec).serviceName = "other";
    assert.deepEqual(messages(validateStatefulSetUpdate(next, old)), [
      "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
    ]);
  });

  it("requires one of maxSurge or maxUnavailable for a daemonset", () => {
    const ds: KubeObject = {
      metadata: { name: "agent", namespace: "default" },
      spec: {
        selector: { matchLabels: { a: "b" } },
        template: template({ a: "b" }),
        updateStrategy: {
          type: "RollingUpdate",
          rollingUpdate: { maxUnavailable: 0, maxSurge: 0 },
        },
      },
    };
    defaultDaemonSet(ds);
    assert.deepEqual(messages(validateDaemonSet(ds)), [
      "spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0",
    ]);
  });
});
