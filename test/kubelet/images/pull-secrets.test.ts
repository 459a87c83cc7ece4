import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Secret } from "kubernetes-types/core/v1.js";
import { pullPolicy } from "../../../src/kubelet/images/image-manager.js";
import { credentialsFor } from "../../../src/kubelet/images/pull-secrets.js";

const b64 = (s: string) => Buffer.from(s).toString("base64");
const dockerconfig = (auths: object): Secret => ({
  type: "kubernetes.io/dockerconfigjson",
  data: { ".dockerconfigjson": b64(JSON.stringify({ auths })) },
});

describe("image pull secrets", () => {
  it("match the registry host, splitting the auth field", () => {
    const s = dockerconfig({
      "https://reg.example:5000/v2/": { auth: b64("alice:pw") },
      "other.example": { username: "bob", password: "x" },
    });
    assert.deepEqual(credentialsFor("reg.example:5000", [s]), [
      { serverAddress: "reg.example:5000", username: "alice", password: "pw" },
    ]);
    assert.deepEqual(credentialsFor("nowhere.example", [s]), []);
  });
  it("docker.io matches Docker Hub's other names; legacy dockercfg works", () => {
    const s: Secret = {
      type: "kubernetes.io/dockercfg",
      data: {
        ".dockercfg": b64(JSON.stringify({ "https://index.docker.io/v1/": { auth: b64("u:p") } })),
      },
    };
    assert.equal(credentialsFor("docker.io", [s])[0]?.username, "u");
  });
  it("pull policy defaults to Always for latest or no tag, IfNotPresent otherwise", () => {
    assert.equal(pullPolicy({ name: "c", image: "nginx" }), "Always");
    assert.equal(pullPolicy({ name: "c", image: "nginx:latest" }), "Always");
    assert.equal(pullPolicy({ name: "c", image: "nginx:1.25" }), "IfNotPresent");
    assert.equal(pullPolicy({ name: "c", image: "nginx:1.25", imagePullPolicy: "Never" }), "Never");
  });
});
