import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ConfigMap, Container, Pod, Secret, Service } from "kubernetes-types/core/v1.js";
import {
  type EnvContext,
  EnvError,
  type EnvSources,
  makeEnvironment,
  resolveEnvironment,
} from "../../../src/kubelet/env/index.js";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

const configMaps: ConfigMap[] = [
  { metadata: { name: "cfg", namespace: "ns" }, data: { MODE: "prod", LEVEL: "3" } },
  {
    metadata: { name: "odd", namespace: "ns" },
    data: { GOOD: "g", "bad key": "x", "1st": "y", ".": "z" },
  },
];
const secrets: Secret[] = [
  {
    metadata: { name: "creds", namespace: "ns" },
    data: { USER: b64("admin"), PASS: b64("s3cr3t") },
  },
];
const services: Service[] = [
  {
    metadata: { name: "kubernetes", namespace: "default" },
    spec: { clusterIP: "10.96.0.1", ports: [{ name: "https", port: 443 }] },
  },
  {
    metadata: { name: "db", namespace: "ns" },
    spec: { clusterIP: "10.96.0.7", ports: [{ port: 5432 }] },
  },
  {
    metadata: { name: "headless", namespace: "ns" },
    spec: { clusterIP: "None", ports: [{ port: 80 }] },
  },
];

/** Sources over fixed lists that count their calls. */
function sourcesOf(overrides: Partial<EnvSources> = {}): EnvSources & { calls: string[] } {
  const calls: string[] = [];
  const find = <T extends { metadata?: { name?: string; namespace?: string } }>(
    list: T[],
    ns: string,
    name: string,
  ) => list.find((o) => o.metadata?.namespace === ns && o.metadata?.name === name);
  return {
    calls,
    async configMap(ns, name) {
      calls.push(`configmap ${ns}/${name}`);
      return find(configMaps, ns, name);
    },
    async secret(ns, name) {
      calls.push(`secret ${ns}/${name}`);
      return find(secrets, ns, name);
    },
    async services(ns) {
      calls.push(`services ${ns}`);
      return services.filter(
        (s) => s.metadata?.namespace === ns || s.metadata?.name === "kubernetes",
      );
    },
    ...overrides,
  };
}

const ctx: EnvContext = {
  nodeName: "node-a",
  podIP: "10.1.0.5",
  hostIP: "192.168.1.10",
  nodeAllocatable: { cpu: "2" },
};

function podWith(container: Container, spec: Partial<Pod["spec"]> = {}): Pod {
  return {
    metadata: { name: "p", namespace: "ns", uid: "u1" },
    spec: { containers: [container], ...spec },
  };
}

const SERVICE_KEYS = [
  "DB_SERVICE_HOST",
  "DB_SERVICE_PORT",
  "DB_PORT",
  "DB_PORT_5432_TCP",
  "DB_PORT_5432_TCP_PROTO",
  "DB_PORT_5432_TCP_PORT",
  "DB_PORT_5432_TCP_ADDR",
  "KUBERNETES_SERVICE_HOST",
  "KUBERNETES_SERVICE_PORT",
  "KUBERNETES_SERVICE_PORT_HTTPS",
  "KUBERNETES_PORT",
  "KUBERNETES_PORT_443_TCP",
  "KUBERNETES_PORT_443_TCP_PROTO",
  "KUBERNETES_PORT_443_TCP_PORT",
  "KUBERNETES_PORT_443_TCP_ADDR",
];

const asObject = (env: { key: string; value: string }[]) =>
  Object.fromEntries(env.map((kv) => [kv.key, kv.value]));

describe("makeEnvironment", () => {
  it("no env: only the service variables (headless skipped)", async () => {
    const env = await makeEnvironment(podWith({ name: "c" }), { name: "c" }, ctx, sourcesOf());
    assert.deepEqual(
      env.map((kv) => kv.key),
      SERVICE_KEYS,
    );
    assert.equal(asObject(env).KUBERNETES_SERVICE_HOST, "10.96.0.1");
  });

  it("enableServiceLinks false keeps only the kubernetes service", async () => {
    const env = await makeEnvironment(
      podWith({ name: "c" }, { enableServiceLinks: false }),
      { name: "c" },
      ctx,
      sourcesOf(),
    );
    assert.deepEqual(
      env.map((kv) => kv.key),
      SERVICE_KEYS.filter((k) => k.startsWith("KUBERNETES")),
    );
  });

  it("order: envFrom (keys sorted), then env, then service variables not redefined", async () => {
    const c: Container = {
      name: "c",
      envFrom: [{ configMapRef: { name: "cfg" } }, { secretRef: { name: "creds" }, prefix: "DB_" }],
      env: [
        { name: "A", value: "a" },
        { name: "MODE", value: "dev" },
        { name: "DB_SERVICE_HOST", value: "override" },
      ],
    };
    const env = await makeEnvironment(podWith(c), c, ctx, sourcesOf());
    assert.deepEqual(env.slice(0, 6), [
      { key: "LEVEL", value: "3" },
      { key: "MODE", value: "dev" },
      { key: "DB_PASS", value: "s3cr3t" },
      { key: "DB_USER", value: "admin" },
      { key: "A", value: "a" },
      { key: "DB_SERVICE_HOST", value: "override" },
    ]);
    assert.deepEqual(
      env.slice(6).map((kv) => kv.key),
      SERVICE_KEYS.filter((k) => k !== "DB_SERVICE_HOST"),
    );
  });

  it("a later envFrom source replaces an earlier one's key in place", async () => {
    const c: Container = {
      name: "c",
      envFrom: [
        { configMapRef: { name: "cfg" } },
        { configMapRef: { name: "cfg" }, prefix: "" },
        { secretRef: { name: "creds" } },
      ],
      env: [{ name: "LEVEL", value: "$(LEVEL)+1" }],
    };
    const env = await makeEnvironment(
      podWith(c, { enableServiceLinks: false }),
      c,
      ctx,
      sourcesOf(),
    );
    assert.deepEqual(env.slice(0, 4), [
      { key: "LEVEL", value: "3+1" },
      { key: "MODE", value: "prod" },
      { key: "PASS", value: "s3cr3t" },
      { key: "USER", value: "admin" },
    ]);
  });

  it("$(VAR) expansion: earlier env, envFrom, service variables; later and unknown stay; $$ escapes", async () => {
    const c: Container = {
      name: "c",
      envFrom: [{ configMapRef: { name: "cfg" } }],
      env: [
        { name: "FIRST", value: "$(SECOND)" },
        { name: "SECOND", value: "two" },
        { name: "THIRD", value: "$(SECOND)-$(MODE)-$(DB_SERVICE_HOST)" },
        { name: "ESC", value: "$$(SECOND)" },
        { name: "UNKNOWN", value: "$(NOPE)" },
        { name: "EMPTY", value: "" },
        { name: "FIELD", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
        { name: "USES_FIELD", value: "$(FIELD).$(METADATA)" },
      ],
    };
    const env = asObject(await makeEnvironment(podWith(c), c, ctx, sourcesOf()));
    assert.equal(env.FIRST, "$(SECOND)");
    assert.equal(env.THIRD, "two-prod-10.96.0.7");
    assert.equal(env.ESC, "$(SECOND)");
    assert.equal(env.UNKNOWN, "$(NOPE)");
    assert.equal(env.EMPTY, "");
    assert.equal(env.FIELD, "p");
    assert.equal(env.USES_FIELD, "p.$(METADATA)");
  });

  it("valueFrom: fieldRef, resourceFieldRef (allocatable default), configMapKeyRef, secretKeyRef", async () => {
    const c: Container = {
      name: "c",
      env: [
        { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
        { name: "CPU", valueFrom: { resourceFieldRef: { resource: "limits.cpu", divisor: "1m" } } },
        { name: "LEVEL", valueFrom: { configMapKeyRef: { name: "cfg", key: "LEVEL" } } },
        { name: "PASS", valueFrom: { secretKeyRef: { name: "creds", key: "PASS" } } },
      ],
    };
    const env = await makeEnvironment(
      podWith(c, { enableServiceLinks: false }),
      c,
      ctx,
      sourcesOf(),
    );
    assert.deepEqual(env.slice(0, 5), [
      { key: "POD_IP", value: "10.1.0.5" },
      { key: "NODE", value: "node-a" },
      { key: "CPU", value: "2000" },
      { key: "LEVEL", value: "3" },
      { key: "PASS", value: "s3cr3t" },
    ]);
  });

  it("optional references that are missing leave the variable unset (or its earlier value)", async () => {
    const c: Container = {
      name: "c",
      envFrom: [
        { configMapRef: { name: "gone", optional: true } },
        { secretRef: { name: "gone", optional: true } },
      ],
      env: [
        { name: "MODE", value: "kept" },
        {
          name: "MODE",
          valueFrom: { configMapKeyRef: { name: "cfg", key: "nope", optional: true } },
        },
        { name: "A", valueFrom: { configMapKeyRef: { name: "gone", key: "k", optional: true } } },
        { name: "B", valueFrom: { secretKeyRef: { name: "creds", key: "nope", optional: true } } },
        { name: "C", valueFrom: { secretKeyRef: { name: "gone", key: "k", optional: true } } },
        {
          name: "D",
          valueFrom: { configMapKeyRef: { name: "cfg", key: "constructor", optional: true } },
        },
      ],
    };
    const env = await makeEnvironment(
      podWith(c, { enableServiceLinks: false }),
      c,
      ctx,
      sourcesOf(),
    );
    assert.deepEqual(
      env.filter((kv) => !kv.key.startsWith("KUBERNETES")),
      [{ key: "MODE", value: "kept" }],
    );
  });

  it("invalid envFrom keys are skipped and reported, sorted", async () => {
    const c: Container = {
      name: "c",
      envFrom: [{ configMapRef: { name: "odd" } }, { configMapRef: { name: "odd" }, prefix: "P_" }],
    };
    const { env, warnings } = await resolveEnvironment(
      podWith(c, { enableServiceLinks: false }),
      c,
      ctx,
      sourcesOf(),
    );
    assert.deepEqual(
      env.filter((kv) => !kv.key.startsWith("KUBERNETES")),
      [
        { key: "GOOD", value: "g" },
        { key: "P_.", value: "z" },
        { key: "P_1st", value: "y" },
        { key: "P_GOOD", value: "g" },
      ],
    );
    assert.deepEqual(warnings, [
      {
        reason: "InvalidEnvironmentVariableNames",
        message:
          "Keys [., 1st, bad key] from the EnvFrom configMap ns/odd were skipped since they are considered invalid environment variable names.",
      },
      {
        reason: "InvalidEnvironmentVariableNames",
        message:
          "Keys [P_bad key] from the EnvFrom configMap ns/odd were skipped since they are considered invalid environment variable names.",
      },
    ]);
  });

  it("fetches each ConfigMap and Secret once", async () => {
    const c: Container = {
      name: "c",
      envFrom: [{ configMapRef: { name: "cfg" } }, { secretRef: { name: "creds" } }],
      env: [
        { name: "X", valueFrom: { configMapKeyRef: { name: "cfg", key: "MODE" } } },
        { name: "Y", valueFrom: { secretKeyRef: { name: "creds", key: "USER" } } },
      ],
    };
    const sources = sourcesOf();
    await makeEnvironment(podWith(c), c, ctx, sources);
    assert.deepEqual(sources.calls, ["services ns", "configmap ns/cfg", "secret ns/creds"]);
  });

  const failures: [string, Container, string][] = [
    [
      "missing configmap (envFrom)",
      { name: "c", envFrom: [{ configMapRef: { name: "x" } }] },
      'configmap "x" not found',
    ],
    [
      "missing secret (envFrom)",
      { name: "c", envFrom: [{ secretRef: { name: "x" } }] },
      'secret "x" not found',
    ],
    [
      "missing configmap (key ref)",
      { name: "c", env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "x", key: "k" } } }] },
      'configmap "x" not found',
    ],
    [
      "missing secret (key ref)",
      { name: "c", env: [{ name: "A", valueFrom: { secretKeyRef: { name: "x", key: "k" } } }] },
      'secret "x" not found',
    ],
    [
      "missing configmap key",
      {
        name: "c",
        env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "cfg", key: "k" } } }],
      },
      "couldn't find key k in ConfigMap ns/cfg",
    ],
    [
      "missing secret key",
      { name: "c", env: [{ name: "A", valueFrom: { secretKeyRef: { name: "creds", key: "k" } } }] },
      "couldn't find key k in Secret ns/creds",
    ],
    [
      "bad fieldRef",
      { name: "c", env: [{ name: "A", valueFrom: { fieldRef: { fieldPath: "spec.nope" } } }] },
      "field label not supported: spec.nope",
    ],
    [
      "bad resourceFieldRef",
      {
        name: "c",
        env: [{ name: "A", valueFrom: { resourceFieldRef: { resource: "limits.nope" } } }],
      },
      "unsupported container resource : limits.nope",
    ],
  ];
  for (const [name, c, message] of failures) {
    it(`fails: ${name}`, async () => {
      await assert.rejects(
        makeEnvironment(podWith(c), c, ctx, sourcesOf()),
        (err: unknown) =>
          err instanceof EnvError &&
          err.message === message &&
          err.reason === "CreateContainerConfigError",
      );
    });
  }

  it("source failures become EnvErrors", async () => {
    const c: Container = {
      name: "c",
      envFrom: [{ configMapRef: { name: "cfg", optional: true } }],
    };
    const boom = sourcesOf({
      configMap: async () => {
        throw new Error("connection refused");
      },
    });
    await assert.rejects(
      makeEnvironment(podWith(c), c, ctx, boom),
      (err: unknown) => err instanceof EnvError && err.message === "connection refused",
    );
    const noServices = sourcesOf({
      services: async () => {
        throw new Error("boom");
      },
    });
    await assert.rejects(
      makeEnvironment(podWith(c), c, ctx, noServices),
      (err: unknown) =>
        err instanceof EnvError &&
        err.message === "failed to list services when setting up env vars",
    );
  });
});
