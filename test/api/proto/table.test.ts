import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { hasCustomJson } from "../../../src/api/proto/json.js";
import {
  CUSTOM_JSON,
  EVERY_GROUP_VERSION_KINDS,
  KINDS,
  MESSAGES,
} from "../../../src/api/proto/messages.js";
import { apiVersionOf, BUILTIN_RESOURCES } from "../../../src/api/resources.js";

function referencedTypes(fqn: string, type: string): string[] {
  const types = type.startsWith("map:") ? [type.split(":").slice(2).join(":")] : [type];
  return types
    .filter((t) => t.includes(".") || /^[A-Z]/.test(t))
    .map((t) => (t.includes(".") ? t : `${fqn.slice(0, fqn.lastIndexOf(".") + 1)}${t}`));
}

describe("the generated message table", () => {
  it("resolves every message a field refers to", () => {
    for (const [fqn, rows] of Object.entries(MESSAGES)) {
      for (const [, json, type] of rows) {
        for (const ref of referencedTypes(fqn, type)) {
          assert.ok(ref in MESSAGES, `${fqn}.${json} refers to unknown ${ref}`);
        }
      }
    }
  });

  it("has a converter for every type with its own JSON form", () => {
    const unhandled = CUSTOM_JSON.filter((fqn) => !hasCustomJson(fqn));
    assert.deepEqual(unhandled, []);
  });

  it("maps every kind to a known message", () => {
    for (const fqn of [...Object.values(KINDS), ...Object.values(EVERY_GROUP_VERSION_KINDS)]) {
      assert.ok(fqn in MESSAGES, fqn);
    }
  });

  it("covers every built-in resource k8ts serves", () => {
    const missing = BUILTIN_RESOURCES.map((d) => `${apiVersionOf(d)}/${d.kind}`).filter(
      (k) => !(k in KINDS),
    );
    assert.deepEqual(missing, []);
  });

  it("covers the request kinds kubectl sends besides stored objects", () => {
    for (const key of [
      "autoscaling/v1/Scale",
      "policy/v1/Eviction",
      "v1/Binding",
      "authentication.k8s.io/v1/TokenRequest",
      "authentication.k8s.io/v1/TokenReview",
      "authentication.k8s.io/v1/SelfSubjectReview",
      "authorization.k8s.io/v1/SubjectAccessReview",
      "authorization.k8s.io/v1/SelfSubjectAccessReview",
      "authorization.k8s.io/v1/SelfSubjectRulesReview",
      "certificates.k8s.io/v1/CertificateSigningRequest",
      "apiextensions.k8s.io/v1/CustomResourceDefinition",
      "admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration",
      "admissionregistration.k8s.io/v1/MutatingWebhookConfiguration",
    ]) {
      assert.ok(key in KINDS, key);
    }
    assert.ok("DeleteOptions" in EVERY_GROUP_VERSION_KINDS);
  });
});
