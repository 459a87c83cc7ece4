import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { InvalidReferenceError } from "../../../src/runtime/images/errors.js";
import {
  familiar,
  formatReference,
  manifestReference,
  parseNormalized,
  parseReference,
} from "../../../src/runtime/images/reference.js";

const DIGEST = `sha256:${"ab".repeat(32)}`;

describe("image references", () => {
  const cases: [string, string, string][] = [
    ["nginx", "docker.io/library/nginx:latest", "nginx:latest"],
    ["nginx:1.7.9", "docker.io/library/nginx:1.7.9", "nginx:1.7.9"],
    ["library/nginx", "docker.io/library/nginx:latest", "nginx:latest"],
    ["docker.io/nginx", "docker.io/library/nginx:latest", "nginx:latest"],
    ["index.docker.io/library/busybox", "docker.io/library/busybox:latest", "busybox:latest"],
    ["bitnami/redis:7", "docker.io/bitnami/redis:7", "bitnami/redis:7"],
    ["localhost:5000/x/y:tag", "localhost:5000/x/y:tag", "localhost:5000/x/y:tag"],
    ["localhost/x", "localhost/x:latest", "localhost/x:latest"],
    ["127.0.0.1:5000/busybox", "127.0.0.1:5000/busybox:latest", "127.0.0.1:5000/busybox:latest"],
    [`reg.io/a/b@${DIGEST}`, `reg.io/a/b@${DIGEST}`, `reg.io/a/b@${DIGEST}`],
    [`nginx:1.25@${DIGEST}`, `docker.io/library/nginx:1.25@${DIGEST}`, `nginx:1.25@${DIGEST}`],
    ["[::1]:5000/x:1", "[::1]:5000/x:1", "[::1]:5000/x:1"],
    ["a.b-c_d__e---f", "docker.io/library/a.b-c_d__e---f:latest", "a.b-c_d__e---f:latest"],
  ];
  for (const [input, full, short] of cases) {
    test(`${input} normalises to ${full}`, () => {
      const ref = parseReference(input);
      assert.equal(formatReference(ref), full);
      assert.equal(familiar(ref), short);
    });
  }

  test("a digest reference gets no default tag and asks the registry by digest", () => {
    const ref = parseReference(`busybox@${DIGEST}`);
    assert.equal(ref.tag, undefined);
    assert.equal(manifestReference(ref), DIGEST);
  });

  test("parseNormalized leaves a missing tag missing", () => {
    assert.equal(parseNormalized("nginx").tag, undefined);
  });

  const invalid = [
    "",
    "Nginx",
    "docker.io/Library/nginx",
    "nginx:",
    "nginx:-bad",
    "nginx@sha256:abc",
    "a//b",
    "-a/b",
    "/nginx",
    "nginx:tag:tag",
    "ab".repeat(32),
    `x/${"a".repeat(260)}`,
    `nginx@md5:${"a".repeat(32)}`,
  ];
  for (const input of invalid) {
    test(`${JSON.stringify(input.slice(0, 40))} is refused as an invalid reference`, () => {
      assert.throws(() => parseReference(input), InvalidReferenceError);
    });
  }
});
