import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  ManifestError,
  mirrorPodFor,
  parseManifest,
} from "../../../src/kubelet/config/static-pods.js";

const manifest =
  "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n";

describe("static pod manifests", () => {
  it("name gets the node suffix, uid is the content hash, bound here, tolerating NoExecute, defaulted", () => {
    const p = parseManifest(manifest, "web.yaml", "n1");
    assert.equal(p.metadata?.name, "web-n1");
    assert.equal(p.metadata?.namespace, "default");
    assert.match(p.metadata?.uid ?? "", /^[0-9a-f]{32}$/);
    assert.equal(p.metadata?.annotations?.["kubernetes.io/config.hash"], p.metadata?.uid);
    assert.equal(p.metadata?.annotations?.["kubernetes.io/config.source"], "file");
    assert.equal(p.spec?.nodeName, "n1");
    assert.deepEqual(p.spec?.tolerations, [{ operator: "Exists", effect: "NoExecute" }]);
    assert.equal(p.spec?.restartPolicy, "Always");
    assert.equal(p.spec?.containers[0]?.imagePullPolicy, "Always");
    assert.equal(
      parseManifest(manifest, "web.yaml", "n1").metadata?.uid,
      p.metadata?.uid,
      "stable",
    );
    assert.notEqual(
      parseManifest(`${manifest}    args: [x]\n`, "web.yaml", "n1").metadata?.uid,
      p.metadata?.uid,
    );
    assert.notEqual(parseManifest(manifest, "web.yaml", "n2").metadata?.uid, p.metadata?.uid);
  });

  it("rejects what is not one v1 Pod with a name and containers", () => {
    assert.throws(() => parseManifest("kind: Service\napiVersion: v1\n", "f", "n"), ManifestError);
    assert.throws(() => parseManifest(`${manifest}---\n${manifest}`, "f", "n"), /exactly one/);
    assert.throws(
      () => parseManifest("apiVersion: v1\nkind: Pod\nspec:\n  containers: []\n", "f", "n"),
      /metadata.name/,
    );
    assert.throws(() => parseManifest("{", "f", "n"), ManifestError);
  });

  it("the mirror pod carries the mirror annotation and the Node as owner, without the uid", () => {
    const p = parseManifest(manifest, "web.yaml", "n1");
    const m = mirrorPodFor(p, { name: "n1", uid: "node-uid" });
    assert.equal(m.metadata?.uid, undefined);
    assert.equal(m.metadata?.annotations?.["kubernetes.io/config.mirror"], p.metadata?.uid);
    assert.deepEqual(m.metadata?.ownerReferences, [
      { apiVersion: "v1", kind: "Node", name: "n1", uid: "node-uid", controller: true },
    ]);
  });
});
