import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  DESCRIPTION,
  DESCRIPTION_ANNOTATION,
  rootCAAction,
} from "../../../src/controllers/rootcacert/desired.js";

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("the root CA ConfigMap of a namespace", () => {
  it("is created with the CA and the description when missing", () => {
    assert.deepEqual(rootCAAction({ namespace: "team", existing: undefined, rootCA: CA }), {
      kind: "create",
      configMap: {
        metadata: {
          name: "kube-root-ca.crt",
          namespace: "team",
          annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION },
        },
        data: { "ca.crt": CA },
      },
    });
  });

  it("is left alone when current", () => {
    const existing = {
      metadata: {
        name: "kube-root-ca.crt",
        annotations: { [DESCRIPTION_ANNOTATION]: DESCRIPTION },
      },
      data: { "ca.crt": CA },
    };
    assert.deepEqual(rootCAAction({ namespace: "team", existing, rootCA: CA }), { kind: "none" });
  });

  it("gets its data and annotation back when edited, keeping other annotations, on a copy", () => {
    const existing = {
      metadata: { name: "kube-root-ca.crt", resourceVersion: "7", annotations: { team: "a" } },
      data: { "ca.crt": "old", extra: "x" },
    };
    const action = rootCAAction({ namespace: "team", existing, rootCA: CA });
    assert.equal(action.kind, "update");
    if (action.kind !== "update") return;
    assert.deepEqual(action.configMap, {
      metadata: {
        name: "kube-root-ca.crt",
        resourceVersion: "7",
        annotations: { team: "a", [DESCRIPTION_ANNOTATION]: DESCRIPTION },
      },
      data: { "ca.crt": CA },
    });
    assert.deepEqual(
      existing.data,
      { "ca.crt": "old", extra: "x" },
      "the cached object is untouched",
    );
  });
});
