import assert from "node:assert/strict";
import { test } from "node:test";
import { RegistriesConfigError } from "../../../src/runtime/images/errors.js";
import { parseReference } from "../../../src/runtime/images/reference.js";
import {
  EMPTY_REGISTRIES,
  endpointsFor,
  isLoopbackHost,
  parseRegistriesYaml,
} from "../../../src/runtime/images/registries.js";

const YAML = `
mirrors:
  docker.io:
    endpoint:
      - "http://127.0.0.1:5000"
      - "https://mirror.example.com/prefix"
    rewrite:
      "^library/(.*)": "mirrored/$1"
  "*":
    endpoint: ["https://catchall.example.com"]
configs:
  "mirror.example.com":
    auth: { username: alice, password: s3cret }
    tls: { insecure_skip_verify: true, ca_file: /etc/ssl/ca.pem }
  "registry.example.com:5000":
    auth: { auth: "Ym9iOnB3" }
`;

test("registries.yaml parses mirrors, rewrites, auth and tls", () => {
  const c = parseRegistriesYaml(YAML);
  assert.deepEqual(c.mirrors["docker.io"]?.endpoint, [
    "http://127.0.0.1:5000",
    "https://mirror.example.com/prefix",
  ]);
  assert.equal(c.configs["mirror.example.com"]?.auth?.username, "alice");
  assert.equal(c.configs["mirror.example.com"]?.tls?.insecure_skip_verify, true);
});

test("docker.io pulls go to the mirrors in order, then Docker Hub without rewrites", () => {
  const c = parseRegistriesYaml(YAML);
  const eps = endpointsFor(parseReference("nginx:1.7.9"), c);
  assert.deepEqual(
    eps.map((e) => [e.baseUrl, e.repository, e.isDefault]),
    [
      ["http://127.0.0.1:5000/v2", "mirrored/nginx", false],
      ["https://mirror.example.com/prefix/v2", "mirrored/nginx", false],
      ["https://registry-1.docker.io/v2", "library/nginx", true],
    ],
  );
  assert.equal(eps[1]?.config.auth?.password, "s3cret");
});

test("a registry without its own mirror uses the * mirror", () => {
  const eps = endpointsFor(parseReference("quay.io/a/b"), parseRegistriesYaml(YAML));
  assert.deepEqual(
    eps.map((e) => e.baseUrl),
    ["https://catchall.example.com/v2", "https://quay.io/v2"],
  );
});

test("loopback registries are plain HTTP and others HTTPS without configuration", () => {
  assert.equal(
    endpointsFor(parseReference("127.0.0.1:5000/x/y"), EMPTY_REGISTRIES)[0]?.baseUrl,
    "http://127.0.0.1:5000/v2",
  );
  assert.equal(
    endpointsFor(parseReference("localhost:5000/x"), EMPTY_REGISTRIES)[0]?.baseUrl,
    "http://localhost:5000/v2",
  );
  assert.equal(
    endpointsFor(parseReference("[::1]:5000/x"), EMPTY_REGISTRIES)[0]?.baseUrl,
    "http://[::1]:5000/v2",
  );
  assert.equal(
    endpointsFor(parseReference("reg.io/x"), EMPTY_REGISTRIES)[0]?.baseUrl,
    "https://reg.io/v2",
  );
  assert.equal(isLoopbackHost("127.1.2.3:80"), true);
  assert.equal(isLoopbackHost("128.0.0.1"), false);
});

test("a scheme-less mirror endpoint is HTTPS unless it is loopback", () => {
  const c = parseRegistriesYaml(
    'mirrors: {docker.io: {endpoint: ["mirror.local:5000", "127.0.0.1:5001"]}}',
  );
  assert.deepEqual(
    endpointsFor(parseReference("busybox"), c).map((e) => e.baseUrl),
    ["https://mirror.local:5000/v2", "http://127.0.0.1:5001/v2", "https://registry-1.docker.io/v2"],
  );
});

test("configs for the registry name apply to its default endpoint", () => {
  const c = parseRegistriesYaml(YAML);
  const [ep] = endpointsFor(parseReference("registry.example.com:5000/app"), { ...c, mirrors: {} });
  assert.equal(ep?.config.auth?.auth, "Ym9iOnB3");
});

test("an empty registries.yaml means no mirrors", () => {
  assert.deepEqual(parseRegistriesYaml(""), { mirrors: {}, configs: {} });
});

test("malformed registries.yaml is refused with a clear error", () => {
  assert.throws(() => parseRegistriesYaml("mirrors: [1, 2]"), RegistriesConfigError);
  assert.throws(
    () => parseRegistriesYaml("mirrors: {docker.io: {endpoint: 5}}"),
    RegistriesConfigError,
  );
  assert.throws(
    () => parseRegistriesYaml("mirrors: {docker.io: {endpoint: ['ftp://x']}}"),
    RegistriesConfigError,
  );
  assert.throws(
    () => parseRegistriesYaml("configs: {x: {tls: {insecure_skip_verify: 'yes'}}}"),
    RegistriesConfigError,
  );
  assert.throws(
    () => parseRegistriesYaml("mirrors: {d: {endpoint: [], rewrite: {'(': 'x'}}}"),
    RegistriesConfigError,
  );
  assert.throws(() => parseRegistriesYaml("a: [unclosed"), RegistriesConfigError);
});
