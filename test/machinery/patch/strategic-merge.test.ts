import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  PatchBadRequestError,
  PatchUnprocessableError,
  StrategicMergeError,
} from "../../../src/machinery/patch/errors.js";
import { NO_PATCH_META, type PatchMeta } from "../../../src/machinery/patch/meta.js";
import { strategicMergeApply } from "../../../src/machinery/patch/strategic-merge.js";

interface Spec {
  mergeKey?: string;
  patchStrategy?: string;
  fields?: Record<string, Spec>;
  elements?: Spec;
}

/** A hand-built PatchMeta tree. */
function meta(spec: Spec): PatchMeta {
  return {
    ...(spec.mergeKey ? { mergeKey: spec.mergeKey } : {}),
    ...(spec.patchStrategy ? { patchStrategy: spec.patchStrategy } : {}),
    field: (name) => {
      const f = spec.fields?.[name];
      return f ? meta(f) : undefined;
    },
    elements: () => (spec.elements ? meta(spec.elements) : undefined),
  };
}

const container: Spec = {
  fields: {
    ports: { mergeKey: "containerPort", patchStrategy: "merge", elements: {} },
    env: { mergeKey: "name", patchStrategy: "merge", elements: {} },
  },
};
const podSpec: Spec = {
  fields: {
    containers: { mergeKey: "name", patchStrategy: "merge", elements: container },
    volumes: { mergeKey: "name", patchStrategy: "merge,retainKeys", elements: {} },
  },
};
const objectMeta: Spec = { fields: { finalizers: { patchStrategy: "merge" } } };
const DEPLOYMENT = meta({
  fields: {
    metadata: objectMeta,
    spec: {
      fields: {
        strategy: { patchStrategy: "retainKeys" },
        template: { fields: { metadata: objectMeta, spec: podSpec } },
      },
    },
  },
});

function deployment(): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", labels: { app: "web", tier: "front" }, finalizers: ["a", "b"] },
    spec: {
      replicas: 3,
      strategy: {
        type: "RollingUpdate",
        rollingUpdate: { maxSurge: "25%", maxUnavailable: "25%" },
      },
      template: {
        metadata: { labels: { app: "web" } },
        spec: {
          containers: [
            {
              name: "nginx",
              image: "nginx:1.7.9",
              ports: [{ containerPort: 80 }, { containerPort: 443 }],
              env: [{ name: "A", value: "1" }],
            },
          ],
          volumes: [{ name: "config", configMap: { name: "web-config" } }],
        },
      },
    },
  };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === "object" && v !== null) {
    for (const x of Object.values(v)) deepFreeze(x);
    Object.freeze(v);
  }
  return v;
}

/** Apply to a frozen deployment and read a path of the result. */
/** A loosely typed view of JSON for reading results in tests. */
// biome-ignore lint/suspicious/noExplicitAny: test results are read by path
type Loose = any;

function apply(patch: unknown): Loose {
  return strategicMergeApply(deepFreeze(deployment()), deepFreeze(patch), DEPLOYMENT);
}

describe("strategic merge patch, as kubectl sends it", () => {
  it("updates a container image from kubectl apply and keeps its ports", () => {
    const out = apply({
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "nginx" }],
            containers: [{ image: "nginx:1.8", name: "nginx" }],
          },
        },
      },
    });
    assert.deepEqual(out.spec.template.spec.containers, [
      {
        name: "nginx",
        image: "nginx:1.8",
        ports: [{ containerPort: 80 }, { containerPort: 443 }],
        env: [{ name: "A", value: "1" }],
      },
    ]);
  });

  it("adds an env var by name in the order $setElementOrder gives", () => {
    const out = apply({
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "nginx" }],
            containers: [
              {
                name: "nginx",
                "$setElementOrder/env": [{ name: "A" }, { name: "B" }],
                env: [{ name: "B", value: "2" }],
              },
            ],
          },
        },
      },
    });
    assert.deepEqual(out.spec.template.spec.containers[0].env, [
      { name: "A", value: "1" },
      { name: "B", value: "2" },
    ]);
  });

  it("removes a container port marked $patch: delete", () => {
    const out = apply({
      spec: {
        template: {
          spec: {
            containers: [{ name: "nginx", ports: [{ containerPort: 80, $patch: "delete" }] }],
          },
        },
      },
    });
    assert.deepEqual(out.spec.template.spec.containers[0].ports, [{ containerPort: 443 }]);
  });

  it("scales with a plain replicas patch", () => {
    const out = apply({ spec: { replicas: 4 } });
    assert.equal(out.spec.replicas, 4);
    assert.deepEqual(out.spec.template, deployment().spec && (deployment().spec as Loose).template);
  });

  it("adds and removes labels, null deleting", () => {
    const out = apply({ metadata: { labels: { tier: null, env: "prod" } } });
    assert.deepEqual(out.metadata.labels, { app: "web", env: "prod" });
  });

  it("adds the restartedAt annotation of kubectl rollout restart", () => {
    const at = "2024-05-01T10:00:00Z";
    const out = apply({
      spec: {
        template: { metadata: { annotations: { "kubectl.kubernetes.io/restartedAt": at } } },
      },
    });
    assert.deepEqual(out.spec.template.metadata, {
      labels: { app: "web" },
      annotations: { "kubectl.kubernetes.io/restartedAt": at },
    });
  });

  it("switches the strategy to Recreate with $retainKeys, dropping rollingUpdate", () => {
    const out = apply({ spec: { strategy: { $retainKeys: ["type"], type: "Recreate" } } });
    assert.deepEqual(out.spec.strategy, { type: "Recreate" });
  });

  it("replaces a volume source with $retainKeys on a list item", () => {
    const out = apply({
      spec: {
        template: {
          spec: {
            "$setElementOrder/volumes": [{ name: "config" }],
            volumes: [
              { name: "config", $retainKeys: ["name", "secret"], secret: { secretName: "s" } },
            ],
          },
        },
      },
    });
    assert.deepEqual(out.spec.template.spec.volumes, [
      { name: "config", secret: { secretName: "s" } },
    ]);
  });

  it("puts a container added without $setElementOrder first, as upstream does", () => {
    const out = apply({
      spec: { template: { spec: { containers: [{ name: "sidecar", image: "busybox" }] } } },
    });
    assert.deepEqual(
      out.spec.template.spec.containers.map((c: { name: string }) => c.name),
      ["sidecar", "nginx"],
    );
  });

  it("keeps the $setElementOrder order when a container is added by kubectl apply", () => {
    const out = apply({
      spec: {
        template: {
          spec: {
            "$setElementOrder/containers": [{ name: "nginx" }, { name: "sidecar" }],
            containers: [{ name: "sidecar", image: "busybox" }],
          },
        },
      },
    });
    assert.deepEqual(
      out.spec.template.spec.containers.map((c: { name: string }) => c.name),
      ["nginx", "sidecar"],
    );
  });

  it("reorders a list from $setElementOrder alone", () => {
    const out = apply({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: "nginx",
                "$setElementOrder/ports": [{ containerPort: 443 }, { containerPort: 80 }],
              },
            ],
          },
        },
      },
    });
    assert.deepEqual(out.spec.template.spec.containers[0].ports, [
      { containerPort: 443 },
      { containerPort: 80 },
    ]);
  });
});

describe("strategic merge patch directives", () => {
  const cases: { name: string; patch: unknown; path: (o: Loose) => unknown; want: unknown }[] = [
    {
      name: "$patch: replace on a map replaces it",
      patch: { metadata: { labels: { $patch: "replace", only: "this" } } },
      path: (o) => o.metadata.labels,
      want: { only: "this" },
    },
    {
      name: "$patch: delete on a map empties it",
      patch: { spec: { strategy: { $patch: "delete" } } },
      path: (o) => o.spec.strategy,
      want: {},
    },
    {
      name: "$patch: replace in a list replaces the list",
      patch: {
        spec: {
          template: { spec: { containers: [{ name: "only", image: "x" }, { $patch: "replace" }] } },
        },
      },
      path: (o) => o.spec.template.spec.containers,
      want: [{ name: "only", image: "x" }],
    },
    {
      name: "$deleteFromPrimitiveList removes values from a merging primitive list",
      patch: { metadata: { "$deleteFromPrimitiveList/finalizers": ["a"] } },
      path: (o) => o.metadata.finalizers,
      want: ["b"],
    },
    {
      name: "a merging primitive list is a union with new values first",
      patch: { metadata: { finalizers: ["c", "a"] } },
      path: (o) => o.metadata.finalizers,
      want: ["c", "a", "b"],
    },
    {
      name: "a merging primitive list follows $setElementOrder",
      patch: { metadata: { "$setElementOrder/finalizers": ["a", "b", "c"], finalizers: ["c"] } },
      path: (o) => o.metadata.finalizers,
      want: ["a", "b", "c"],
    },
    {
      name: "a list without merge strategy is replaced",
      patch: {
        spec: { template: { spec: { containers: [{ name: "nginx", args: ["x"] }] } } },
      },
      path: (o) => o.spec.template.spec.containers[0].image,
      want: "nginx:1.7.9",
    },
    {
      name: "a null for a missing field is dropped",
      patch: { spec: { paused: null, minReadySeconds: 5 } },
      path: (o) => [o.spec.paused, o.spec.minReadySeconds, "paused" in o.spec],
      want: [undefined, 5, false],
    },
    {
      name: "nulls inside a new subtree are dropped",
      patch: { spec: { selector: { matchLabels: { app: "web", gone: null } } } },
      path: (o) => o.spec.selector,
      want: { matchLabels: { app: "web" } },
    },
    {
      name: "a value of another type replaces the original",
      patch: { spec: { strategy: "odd" } },
      path: (o) => o.spec.strategy,
      want: "odd",
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(c.path(apply(c.patch)), c.want);
    });
  }

  it("replaces every list when nothing is known about the fields", () => {
    const out = strategicMergeApply(
      { items: [{ name: "a" }, { name: "b" }], keep: 1 },
      { items: [{ name: "c" }] },
      NO_PATCH_META,
    );
    assert.deepEqual(out, { items: [{ name: "c" }], keep: 1 });
  });

  it("applies a top-level $patch: replace", () => {
    assert.deepEqual(strategicMergeApply({ a: 1 }, { $patch: "replace", b: 2 }), { b: 2 });
  });

  it("does not change its inputs", () => {
    const original = deployment();
    const patch = { metadata: { labels: { tier: null } }, spec: { replicas: 1 } };
    const before = JSON.stringify([original, patch]);
    strategicMergeApply(original, patch, DEPLOYMENT);
    assert.equal(JSON.stringify([original, patch]), before);
  });
});

describe("strategic merge patch errors", () => {
  const cases: {
    name: string;
    patch: unknown;
    type: new (message: string) => Error;
    message: string;
  }[] = [
    {
      name: "a list item without its merge key",
      patch: { spec: { template: { spec: { containers: [{ image: "x" }] } } } },
      type: StrategicMergeError,
      message: "map: map[image:x] does not contain declared merge key: name",
    },
    {
      name: "$patch: merge on a map",
      patch: { metadata: { labels: { $patch: "merge", a: "b" } } },
      type: StrategicMergeError,
      message: "unknown patch type: merge in map: map[$patch:merge a:b]",
    },
    {
      name: "$patch: merge in a list",
      patch: { spec: { template: { spec: { containers: [{ $patch: "merge" }] } } } },
      type: StrategicMergeError,
      message: "merging lists cannot yet be specified in the patch",
    },
    {
      name: "a patch key missing from $retainKeys",
      patch: { spec: { strategy: { $retainKeys: ["type"], type: "Recreate", other: 1 } } },
      type: PatchBadRequestError,
      message: "invalid patch format of retainKeys",
    },
    {
      name: "a $retainKeys that is not a list",
      patch: { spec: { strategy: { $retainKeys: "type" } } },
      type: PatchBadRequestError,
      message: "invalid patch format of retainKeys",
    },
    {
      name: "a merging list with items of different types",
      patch: { metadata: { finalizers: [["x"]] } },
      type: StrategicMergeError,
      message: "list element types are not identical: [[a b] [[x]]]",
    },
    {
      name: "a patch that is not an object",
      patch: [1],
      type: PatchBadRequestError,
      message: "json: cannot unmarshal array into Go value of type map[string]interface {}",
    },
  ];
  for (const c of cases) {
    it(`rejects ${c.name}`, () => {
      assert.throws(
        () => apply(c.patch),
        (err: unknown) => err instanceof c.type && (err as Error).message === c.message,
      );
    });
  }

  it("rejects merging lists of lists with a 422", () => {
    assert.throws(
      () =>
        strategicMergeApply(
          { metadata: { finalizers: [["y"]] } },
          { metadata: { finalizers: [["x"]] } },
          DEPLOYMENT,
        ),
      (err: unknown) =>
        err instanceof PatchUnprocessableError &&
        err.message === "lists of lists are not supported",
    );
  });

  it("gives each error the status the API server answers with", () => {
    assert.equal(new PatchBadRequestError("x").code, 400);
    assert.equal(new PatchUnprocessableError("x").code, 422);
    assert.equal(new StrategicMergeError("x").code, 500);
    assert.equal(new StrategicMergeError("x").name, "StrategicMergeError");
  });
});

describe("strategic merge patch ordering with server-only items", () => {
  const LIST = meta({
    fields: { mergingList: { mergeKey: "name", patchStrategy: "merge", elements: {} } },
  });
  const order = (...names: number[]) => names.map((name) => ({ name }));
  const cases: { name: string; current: unknown[]; order: number[]; want: unknown[] }[] = [
    {
      name: "keeps a trailing server-only item last",
      current: [
        { name: 1, other: "a" },
        { name: 3, value: 3 },
        { name: 4, value: 4 },
        { name: 2, value: 2 },
        { name: 9 },
      ],
      order: [4, 2, 3, 1],
      want: [
        { name: 4, value: 4 },
        { name: 2, value: 2 },
        { name: 3, value: 3 },
        { name: 1, other: "a" },
        { name: 9 },
      ],
    },
    {
      name: "keeps a server-only item after its live predecessor",
      current: [
        { name: 1, other: "a" },
        { name: 2, value: 2 },
        { name: 9 },
        { name: 3, value: 3 },
        { name: 4, value: 4 },
      ],
      order: [2, 1, 4, 3],
      want: [
        { name: 2, value: 2 },
        { name: 1, other: "a" },
        { name: 9 },
        { name: 4, value: 4 },
        { name: 3, value: 3 },
      ],
    },
    {
      name: "keeps a run of server-only items together",
      current: [
        { name: 1, other: "a" },
        { name: 2, value: 2 },
        { name: 7 },
        { name: 9 },
        { name: 8 },
        { name: 3, value: 3 },
        { name: 4, value: 4 },
      ],
      order: [2, 1, 4, 3],
      want: [
        { name: 2, value: 2 },
        { name: 1, other: "a" },
        { name: 7 },
        { name: 9 },
        { name: 8 },
        { name: 4, value: 4 },
        { name: 3, value: 3 },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const out = strategicMergeApply(
        { mergingList: c.current },
        { "$setElementOrder/mergingList": order(...c.order) },
        LIST,
      );
      assert.deepEqual(out.mergingList, c.want);
    });
  }
});
