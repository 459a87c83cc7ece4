// System suite: the scheduler against a real API server holding Node
// objects (no kubelets needed), driven and observed with the real kubectl.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { RestClient } from "../../src/client/rest/client.js";
import { loadKubeconfig } from "../../src/client/rest/config.js";
import { Scheduler } from "../../src/scheduler/runner/scheduler.js";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { kubectlOk } from "../support/kubectl.js";

function node(
  name: string,
  opts: { labels?: Record<string, string>; taints?: object[]; cpu?: string } = {},
): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name, ...(opts.labels ?? {}) } },
    spec: opts.taints ? { taints: opts.taints } : {},
    status: {
      capacity: { cpu: opts.cpu ?? "2", memory: "4Gi", pods: "110" },
      allocatable: { cpu: opts.cpu ?? "2", memory: "4Gi", pods: "110" },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady", message: "ready" }],
    },
  });
}

function pod(
  name: string,
  spec: Record<string, unknown> = {},
  labels: Record<string, string> = {},
): string {
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: { containers: [{ name: "c", image: "busybox" }], ...spec },
  });
}

async function until<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("scheduler", () => {
  let server: TestApiServer;
  let kc: string;
  let rest: RestClient;
  let scheduler: Scheduler;
  const nodeOf = async (name: string) =>
    (await kubectlOk(kc, ["get", "pod", name, "-o", "jsonpath={.spec.nodeName}"])) || undefined;
  const condition = async (name: string) => {
    const c = await kubectlOk(kc, [
      "get",
      "pod",
      name,
      "-o",
      'jsonpath={.status.conditions[?(@.type=="PodScheduled")].reason}|{.status.conditions[?(@.type=="PodScheduled")].message}',
    ]);
    return c.startsWith("Unschedulable|") ? c.slice("Unschedulable|".length) : undefined;
  };

  before(async () => {
    server = await startTestApiServer();
    kc = server.adminKubeconfig;
    for (const n of [
      node("node1"),
      node("node2", { labels: { disktype: "ssd" } }),
      node("master", {
        taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
      }),
    ]) {
      await kubectlOk(kc, ["create", "-f", "-"], { input: n });
    }
    rest = new RestClient(loadKubeconfig({ path: kc }));
    scheduler = new Scheduler(rest, { random: () => 0 });
    await scheduler.start();
  });
  after(async () => {
    await scheduler?.stop();
    rest?.close();
    await server?.stop();
  });

  it("puts the notes' disktype=ssd pod on the labelled node and records a Scheduled event", async () => {
    await kubectlOk(kc, ["create", "-f", "-"], {
      input: pod("ssd", { nodeSelector: { disktype: "ssd" } }),
    });
    assert.equal(await until("ssd bound", () => nodeOf("ssd")), "node2");
    const events = await until("Scheduled event", async () => {
      const out = await kubectlOk(kc, [
        "get",
        "events",
        "--field-selector",
        "involvedObject.name=ssd",
        "-o",
        "name",
      ]);
      return out.trim() ? out : undefined;
    });
    assert.ok(events);
    const describe = await kubectlOk(kc, ["describe", "pod", "ssd"]);
    assert.match(describe, /Scheduled\s+.*Successfully assigned default\/ssd to node2/);
  });

  it("keeps a pod Pending with upstream's message until a node gets the label", async () => {
    await kubectlOk(kc, ["create", "-f", "-"], {
      input: pod("gpu", { nodeSelector: { accel: "gpu" } }),
    });
    const message = await until("Unschedulable condition", () => condition("gpu"));
    assert.equal(
      message,
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    await kubectlOk(kc, ["label", "node", "node1", "accel=gpu"]);
    assert.equal(await until("gpu bound after labelling", () => nodeOf("gpu")), "node1");
  });

  it("lets only tolerating pods onto a tainted node", async () => {
    await kubectlOk(kc, ["taint", "nodes", "node1", "foo=bar:NoSchedule"]);
    await kubectlOk(kc, ["taint", "nodes", "node2", "foo=bar:NoSchedule"]);
    await kubectlOk(kc, ["create", "-f", "-"], { input: pod("plain") });
    const message = await until("plain unschedulable", () => condition("plain"));
    assert.match(
      message,
      /^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 node\(s\) had untolerated taint \{foo: bar\}\./,
    );
    await kubectlOk(kc, ["create", "-f", "-"], {
      input: pod("tolerant", {
        tolerations: [{ key: "foo", operator: "Equal", value: "bar", effect: "NoSchedule" }],
      }),
    });
    assert.match(await until("tolerant bound", () => nodeOf("tolerant")), /^node[12]$/);
    await kubectlOk(kc, ["taint", "nodes", "node1", "foo-"]);
    assert.equal(
      await until("plain bound once the taint is removed", () => nodeOf("plain")),
      "node1",
    );
    await kubectlOk(kc, ["taint", "nodes", "node2", "foo-"]);
  });

  it("refuses a pod asking for more CPU than any node has", async () => {
    await kubectlOk(kc, ["create", "-f", "-"], {
      input: pod("huge", {
        containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "64" } } }],
      }),
    });
    const message = await until("huge unschedulable", () => condition("huge"));
    assert.match(
      message,
      /^0\/3 nodes are available: 1 node\(s\) had untolerated taint \{node-role\.kubernetes\.io\/control-plane: \}, 2 Insufficient cpu\./,
    );
  });

  it("spreads replicas one per node with required anti-affinity", async () => {
    const anti = {
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            {
              labelSelector: { matchLabels: { app: "spread" } },
              topologyKey: "kubernetes.io/hostname",
            },
          ],
        },
      },
    };
    for (const n of ["s1", "s2", "s3"]) {
      await kubectlOk(kc, ["create", "-f", "-"], { input: pod(n, anti, { app: "spread" }) });
    }
    const a = await until("s1 bound", () => nodeOf("s1"));
    const b = await until("s2 bound", () => nodeOf("s2"));
    assert.notEqual(a, b);
    const message = await until("s3 unschedulable", () => condition("s3"));
    assert.match(message, /2 node\(s\) didn't match pod anti-affinity rules/);
  });

  it("preempts a lower-priority pod for a higher-priority one", async () => {
    await kubectlOk(kc, ["create", "-f", "-"], {
      input: JSON.stringify({
        apiVersion: "scheduling.k8s.io/v1",
        kind: "PriorityClass",
        metadata: { name: "high" },
        value: 1000,
      }),
    });
    const big = (name: string, extra: Record<string, unknown> = {}) =>
      pod(name, {
        nodeSelector: { disktype: "ssd" },
        containers: [{ name: "c", image: "busybox", resources: { requests: { cpu: "1800m" } } }],
        ...extra,
      });
    // node2 has 2 CPUs, and the ssd pod from the first test on it requests none.
    await kubectlOk(kc, ["create", "-f", "-"], { input: big("low") });
    assert.equal(await until("low bound", () => nodeOf("low")), "node2");
    await kubectlOk(kc, ["create", "-f", "-"], {
      input: big("urgent", { priorityClassName: "high" }),
    });
    const nominated = await until(
      "urgent nominated",
      async () =>
        (await kubectlOk(kc, [
          "get",
          "pod",
          "urgent",
          "-o",
          "jsonpath={.status.nominatedNodeName}",
        ])) || undefined,
    );
    assert.equal(nominated, "node2");
    const deleting = await kubectlOk(kc, [
      "get",
      "pod",
      "low",
      "-o",
      "jsonpath={.metadata.deletionTimestamp}",
    ]);
    assert.ok(deleting, "the victim is being deleted");
    // No kubelet here: finish the victim's graceful deletion as its kubelet would.
    await kubectlOk(kc, ["delete", "pod", "low", "--grace-period=0", "--force"]);
    assert.equal(await until("urgent bound", () => nodeOf("urgent")), "node2");
  });
});
