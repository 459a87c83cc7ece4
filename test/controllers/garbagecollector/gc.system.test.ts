// System suite: the garbage collector against a real API server, with
// ownership set by hand (a ConfigMap owning pods and ConfigMaps), driven
// and observed with the real kubectl.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { GarbageCollector } from "../../../src/controllers/garbagecollector/garbage-collector.js";
import { type ControllerHarness, startControllers, until } from "../harness.js";

interface Ref {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  blockOwnerDeletion?: boolean;
  controller?: boolean;
}

const configMap = (
  name: string,
  opts: { namespace?: string; owners?: Ref[]; finalizers?: string[] } = {},
) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      ...(opts.owners ? { ownerReferences: opts.owners } : {}),
      ...(opts.finalizers ? { finalizers: opts.finalizers } : {}),
    },
    data: { k: "v" },
  });

const pod = (name: string, owners: Ref[]) =>
  JSON.stringify({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, ownerReferences: owners },
    spec: { containers: [{ name: "c", image: "busybox" }] },
  });

describe("garbage collector", () => {
  let h: ControllerHarness;
  let gc: GarbageCollector;

  const uidOf = (resource: string, name: string, ns = "default") =>
    h.kubectl(["get", resource, name, "-n", ns, "-o", "jsonpath={.metadata.uid}"]);
  const exists = async (resource: string, name: string, ns = "default") =>
    (await h.kubectlRaw(["get", resource, name, "-n", ns, "-o", "name"])).code === 0;
  const gone = (resource: string, name: string, ns = "default") =>
    until(`${resource} ${name} gone`, async () => !(await exists(resource, name, ns)));
  /**
   * Waits until the collector's graph holds the object with its owners:
   * only dependents it has seen can be orphaned or waited for.
   */
  const seen = async (resource: string, name: string) => {
    const uid = await uidOf(resource, name);
    await until(`${name} in the graph`, async () => gc.graph.node(uid)?.virtual === false);
  };
  /** An owner ConfigMap and the reference its dependents carry. */
  const owner = async (name: string, extra: Partial<Ref> = {}): Promise<Ref> => {
    await h.kubectl(["create", "-f", "-"], configMap(name));
    return {
      apiVersion: "v1",
      kind: "ConfigMap",
      name,
      uid: await uidOf("configmap", name),
      ...extra,
    };
  };

  before(async () => {
    h = await startControllers((ctx) => {
      gc = new GarbageCollector(ctx);
      return [gc];
    });
  });
  after(async () => {
    await h?.stop();
  });

  it("kubectl delete (background) removes the dependents of the deleted owner", async () => {
    const ref = await owner("bg-owner");
    await h.kubectl(["create", "-f", "-"], pod("bg-pod", [ref]));
    await h.kubectl(["create", "-f", "-"], configMap("bg-cm", { owners: [ref] }));
    await h.kubectl(["create", "-f", "-"], configMap("bg-bystander"));
    await h.kubectl(["delete", "configmap", "bg-owner"]);
    await gone("pod", "bg-pod");
    await gone("configmap", "bg-cm");
    assert.ok(await exists("configmap", "bg-bystander"), "objects without owners stay");
  });

  it("kubectl delete --cascade=orphan keeps the dependents and strips the ownerReference", async () => {
    const ref = await owner("or-owner");
    const other = await owner("or-other");
    await h.kubectl(["create", "-f", "-"], pod("or-pod", [ref]));
    await h.kubectl(["create", "-f", "-"], configMap("or-cm", { owners: [ref, other] }));
    await seen("pod", "or-pod");
    await seen("configmap", "or-cm");
    await h.kubectl(["delete", "configmap", "or-owner", "--cascade=orphan"]);
    await gone("configmap", "or-owner");
    assert.equal(
      await h.kubectl(["get", "pod", "or-pod", "-o", "jsonpath={.metadata.ownerReferences}"]),
      "",
    );
    const refs = JSON.parse(
      await h.kubectl(["get", "configmap", "or-cm", "-o", "jsonpath={.metadata.ownerReferences}"]),
    ) as Ref[];
    assert.deepEqual(
      refs.map((r) => r.name),
      ["or-other"],
      "only the deleted owner's reference is removed",
    );
  });

  it("kubectl delete --cascade=foreground waits for blocking dependents", async () => {
    const ref = await owner("fg-owner", { blockOwnerDeletion: true });
    await h.kubectl(["create", "-f", "-"], pod("fg-pod", [ref]));
    // A dependent held by a finalizer of its own keeps the owner waiting.
    await h.kubectl(
      ["create", "-f", "-"],
      configMap("fg-held", { owners: [ref], finalizers: ["example.com/hold"] }),
    );
    await seen("pod", "fg-pod");
    await seen("configmap", "fg-held");
    const deleting = h.kubectlRaw(["delete", "configmap", "fg-owner", "--cascade=foreground"]);
    let finished = false;
    void deleting.finally(() => {
      finished = true;
    });
    await gone("pod", "fg-pod");
    await until("held dependent marked for deletion", async () =>
      h.kubectl(["get", "configmap", "fg-held", "-o", "jsonpath={.metadata.deletionTimestamp}"]),
    );
    const ownerState = await h.kubectl([
      "get",
      "configmap",
      "fg-owner",
      "-o",
      "jsonpath={.metadata.deletionTimestamp}|{.metadata.finalizers}",
    ]);
    assert.match(ownerState, /^\d{4}-.+\|\["foregroundDeletion"\]$/);
    assert.equal(finished, false, "kubectl is still waiting for the owner to go");

    await h.kubectl([
      "patch",
      "configmap",
      "fg-held",
      "--type=merge",
      "-p",
      '{"metadata":{"finalizers":null}}',
    ]);
    const result = await deleting;
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await exists("configmap", "fg-owner"), false);
    assert.equal(await exists("configmap", "fg-held"), false);
  });

  it("propagates a foreground deletion down a chain of owners", async () => {
    const top = await owner("chain-top", { blockOwnerDeletion: true });
    await h.kubectl(["create", "-f", "-"], configMap("chain-mid", { owners: [top] }));
    const mid: Ref = {
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "chain-mid",
      uid: await uidOf("configmap", "chain-mid"),
      blockOwnerDeletion: true,
    };
    await h.kubectl(["create", "-f", "-"], pod("chain-leaf", [mid]));
    await seen("configmap", "chain-mid");
    await seen("pod", "chain-leaf");
    const result = await h.kubectlRaw(["delete", "configmap", "chain-top", "--cascade=foreground"]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(await exists("configmap", "chain-top"), false);
    // Foreground all the way down: the middle waited for the leaf, the top for the middle.
    assert.equal(await exists("configmap", "chain-mid"), false);
    assert.equal(await exists("pod", "chain-leaf"), false);
  });

  it("collects an object whose owner never existed", async () => {
    const ghost: Ref = {
      apiVersion: "v1",
      kind: "ConfigMap",
      name: "ghost",
      uid: "00000000-0000-0000-0000-00000000dead",
    };
    await h.kubectl(["create", "-f", "-"], configMap("orphaned-cm", { owners: [ghost] }));
    await gone("configmap", "orphaned-cm");
  });

  it("keeps a dependent with a live owner left and drops the reference to the gone one", async () => {
    const a = await owner("multi-a");
    const b = await owner("multi-b");
    await h.kubectl(["create", "-f", "-"], configMap("multi-dep", { owners: [a, b] }));
    await h.kubectl(["delete", "configmap", "multi-a"]);
    await until("reference to the deleted owner dropped", async () => {
      const names = await h.kubectl([
        "get",
        "configmap",
        "multi-dep",
        "-o",
        "jsonpath={.metadata.ownerReferences[*].name}",
      ]);
      return names === "multi-b";
    });
  });

  it("collects namespaced dependents of a deleted cluster-scoped owner", async () => {
    await h.kubectl(
      ["create", "-f", "-"],
      JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "gc-owner-ns" } }),
    );
    const nsUid = await h.kubectl([
      "get",
      "namespace",
      "gc-owner-ns",
      "-o",
      "jsonpath={.metadata.uid}",
    ]);
    const nsRef: Ref = { apiVersion: "v1", kind: "Namespace", name: "gc-owner-ns", uid: nsUid };
    await h.kubectl(["create", "-f", "-"], configMap("cluster-owned", { owners: [nsRef] }));
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(await exists("configmap", "cluster-owned"), "kept while its owner lives");
    // No namespace controller here: finalize by hand so the namespace goes.
    await h.kubectl(["delete", "namespace", "gc-owner-ns", "--wait=false"]);
    await h.rest.request({
      method: "PUT",
      path: "/api/v1/namespaces/gc-owner-ns/finalize",
      body: {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "gc-owner-ns" },
        spec: { finalizers: [] },
      },
    });
    await gone("namespace", "gc-owner-ns", "default");
    await gone("configmap", "cluster-owned");
  });

  it("treats an owner in another namespace as absent and reports the invalid reference", async () => {
    await h.kubectl(["create", "namespace", "gc-elsewhere"]);
    await h.kubectl(["create", "-f", "-"], configMap("far-owner", { namespace: "gc-elsewhere" }));
    const uid = await uidOf("configmap", "far-owner", "gc-elsewhere");
    const ref: Ref = { apiVersion: "v1", kind: "ConfigMap", name: "far-owner", uid };
    await h.kubectl(["create", "-f", "-"], configMap("near-dep", { owners: [ref] }));
    await gone("configmap", "near-dep");
    assert.ok(await exists("configmap", "far-owner", "gc-elsewhere"), "the owner is untouched");
    await until("OwnerRefInvalidNamespace event", async () => {
      const reasons = await h.kubectl([
        "get",
        "events",
        "-n",
        "default",
        "-o",
        'jsonpath={range .items[?(@.involvedObject.name=="near-dep")]}{.reason}{"\\n"}{end}',
      ]);
      return reasons.includes("OwnerRefInvalidNamespace");
    });
  });
});
