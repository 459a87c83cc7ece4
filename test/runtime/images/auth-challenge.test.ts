import assert from "node:assert/strict";
import { test } from "node:test";
import {
  parseAuthChallenges,
  repositoryScope,
} from "../../../src/runtime/images/auth-challenge.js";

test("a Docker Hub bearer challenge yields realm, service and scope", () => {
  const [c] = parseAuthChallenges(
    'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/nginx:pull"',
  );
  assert.deepEqual(c, {
    scheme: "bearer",
    params: {
      realm: "https://auth.docker.io/token",
      service: "registry.docker.io",
      scope: "repository:library/nginx:pull",
    },
  });
});

test("a basic challenge and a bearer challenge in one header are both read", () => {
  const cs = parseAuthChallenges(
    'Basic realm="basic-realm", Bearer realm="http://127.0.0.1:1/token",error="insufficient_scope"',
  );
  assert.deepEqual(
    cs.map((c) => c.scheme),
    ["basic", "bearer"],
  );
  assert.equal(cs[1]?.params.error, "insufficient_scope");
});

test("quoted values keep commas and escaped quotes", () => {
  const [c] = parseAuthChallenges(
    'Bearer realm="https://x/token",scope="repository:a/b:pull,push",note="say \\"hi\\""',
  );
  assert.equal(c?.params.scope, "repository:a/b:pull,push");
  assert.equal(c?.params.note, 'say "hi"');
});

test("unquoted parameter values and upper-case names are accepted", () => {
  const [c] = parseAuthChallenges("BEARER Realm=https://x/token, Service=reg");
  assert.equal(c?.scheme, "bearer");
  assert.deepEqual(c?.params, { realm: "https://x/token", service: "reg" });
});

test("an empty header has no challenges", () => {
  assert.deepEqual(parseAuthChallenges(""), []);
});

test("a repository scope lists its actions", () => {
  assert.equal(
    repositoryScope("library/nginx", ["pull", "push"]),
    "repository:library/nginx:pull,push",
  );
});
