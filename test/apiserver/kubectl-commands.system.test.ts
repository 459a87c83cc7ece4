// System suite: more of kubectl's commands against an in-process API server.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { chmodSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { KUBECTL, kubectl, kubectlOk } from "../support/kubectl.js";
import { tempDir } from "../support/tmp.js";

const NODE = `apiVersion: v1
kind: Node
metadata:
  name: worker-1
  labels:
    kubernetes.io/hostname: worker-1
`;

describe("kubectl commands", () => {
  let server: TestApiServer;
  let kc: string;
  const files = tempDir("kubectl-commands");
  before(async () => {
    server = await startTestApiServer();
    kc = server.adminKubeconfig;
  });
  after(async () => {
    await server?.stop();
    files.remove();
  });

  it("streams changes with get --watch", async () => {
    await kubectlOk(kc, ["create", "namespace", "watched"]);
    const child = spawn(KUBECTL, ["get", "configmaps", "-n", "watched", "--watch", "-o", "name"], {
      env: { ...process.env, KUBECONFIG: kc },
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    try {
      await new Promise((r) => setTimeout(r, 800));
      await kubectlOk(kc, ["apply", "-n", "watched", "-f", "-"], {
        input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  a: b\n",
      });
      await kubectlOk(kc, ["label", "-n", "watched", "configmap", "one", "x=y"]);
      const deadline = Date.now() + 5000;
      while (Date.now() < deadline && out.split("\n").filter(Boolean).length < 2) {
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.deepEqual(out.split("\n").filter(Boolean), ["configmap/one", "configmap/one"]);
    } finally {
      child.kill();
    }
  });

  it("edits with EDITOR, replaces, and deletes from a file", async () => {
    const editor = join(files.path, "editor.sh");
    writeFileSync(editor, "#!/bin/sh\nsed -i 's/a: b/a: edited/' \"$1\"\n");
    chmodSync(editor, 0o755);
    await kubectlOk(kc, ["edit", "-n", "watched", "configmap", "one"], { env: { EDITOR: editor } });
    assert.equal(
      await kubectlOk(kc, ["get", "-n", "watched", "cm", "one", "-o", "jsonpath={.data.a}"]),
      "edited",
    );
    const file = join(files.path, "cm.yaml");
    writeFileSync(
      file,
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n  namespace: watched\ndata:\n  a: replaced\n",
    );
    await kubectlOk(kc, ["replace", "-f", file]);
    assert.equal(
      await kubectlOk(kc, ["get", "-n", "watched", "cm", "one", "-o", "jsonpath={.data.a}"]),
      "replaced",
    );
    assert.match(await kubectlOk(kc, ["delete", "-f", file]), /configmap "one" deleted/);
  });

  it("dry-runs on the server without storing anything", async () => {
    const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dry\n  namespace: watched\n";
    assert.match(
      await kubectlOk(kc, ["create", "--dry-run=server", "-f", "-"], { input: cm }),
      /created \(server dry run\)/,
    );
    assert.match(
      await kubectlOk(kc, ["apply", "--dry-run=server", "-f", "-"], { input: cm }),
      /\(server dry run\)/,
    );
    const r = await kubectl(kc, ["get", "-n", "watched", "cm", "dry"]);
    assert.match(r.stderr, /configmaps "dry" not found/);
  });

  it("applies server-side and reports the result", async () => {
    const cm =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  namespace: watched\ndata:\n  k: v1\n";
    assert.match(
      await kubectlOk(kc, ["apply", "--server-side", "-f", "-"], { input: cm }),
      /configmap\/ssa serverside-applied/,
    );
    await kubectlOk(kc, ["apply", "--server-side", "-f", "-"], {
      input: cm.replace("k: v1", "k: v2"),
    });
    assert.equal(
      await kubectlOk(kc, ["get", "-n", "watched", "cm", "ssa", "-o", "jsonpath={.data.k}"]),
      "v2",
    );
  });

  it("tracks field managers and reports server-side apply conflicts", async () => {
    const cm =
      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owned\n  namespace: watched\ndata:\n  k: v1\n";
    await kubectlOk(kc, ["apply", "--server-side", "-f", "-"], { input: cm });
    await kubectlOk(kc, [
      "patch",
      "-n",
      "watched",
      "cm",
      "owned",
      "--type=merge",
      "--field-manager=other",
      "-p",
      '{"data":{"k":"v9"}}',
    ]);
    const managed = JSON.parse(
      await kubectlOk(kc, [
        "get",
        "-n",
        "watched",
        "cm",
        "owned",
        "--show-managed-fields",
        "-o",
        "json",
      ]),
    );
    const managers = managed.metadata.managedFields.map(
      (m: { manager: string; operation: string }) => `${m.manager}/${m.operation}`,
    );
    // The update took data.k over from the applier, whose entry is then empty and dropped.
    assert.deepEqual(managers, ["other/Update"]);
    const conflict = await kubectl(kc, ["apply", "--server-side", "-f", "-"], {
      input: cm.replace("k: v1", "k: v2"),
    });
    assert.notEqual(conflict.code, 0);
    assert.match(
      conflict.stderr,
      /Apply failed with 1 conflict: conflict with "other" using v1: \.data\.k/,
    );
    await kubectlOk(kc, ["apply", "--server-side", "--force-conflicts", "-f", "-"], {
      input: cm.replace("k: v1", "k: v2"),
    });
    assert.equal(
      await kubectlOk(kc, ["get", "-n", "watched", "cm", "owned", "-o", "jsonpath={.data.k}"]),
      "v2",
    );
  });

  it("prints every output format", async () => {
    const name = await kubectlOk(kc, ["get", "ns", "watched", "-o", "name"]);
    assert.equal(name.trim(), "namespace/watched");
    const json = JSON.parse(await kubectlOk(kc, ["get", "ns", "watched", "-o", "json"]));
    assert.equal(json.status.phase, "Active");
    assert.match(await kubectlOk(kc, ["get", "ns", "watched", "-o", "yaml"]), /^kind: Namespace$/m);
    const cols = await kubectlOk(kc, [
      "get",
      "ns",
      "-o",
      "custom-columns=N:.metadata.name,P:.status.phase",
    ]);
    assert.match(cols, /^watched\s+Active$/m);
    const all = await kubectlOk(kc, ["get", "services", "-A"]);
    assert.match(all, /^NAMESPACE\s+NAME\s+TYPE\s+CLUSTER-IP\s+EXTERNAL-IP\s+PORT\(S\)\s+AGE$/m);
    assert.match(
      all,
      /^default\s+kubernetes\s+ClusterIP\s+10\.43\.0\.1\s+<none>\s+443\/TCP\s+\d+s$/m,
    );
    const chunked = await kubectlOk(kc, ["get", "namespaces", "--chunk-size=1", "-o", "name"]);
    assert.equal(chunked.trim().split("\n").length, 5);
    const selected = await kubectlOk(kc, [
      "get",
      "ns",
      "--field-selector=metadata.name=watched",
      "-o",
      "name",
    ]);
    assert.equal(selected.trim(), "namespace/watched");
  });

  it("explains fields from the OpenAPI schema", async () => {
    const out = await kubectlOk(kc, ["explain", "pod.spec.containers.livenessProbe"]);
    assert.match(out, /FIELD: livenessProbe <Probe>/);
    assert.match(out, /httpGet\s+<HTTPGetAction>/);
    assert.match(out, /periodSeconds\s+<integer>/);
  });

  it("taints and cordons a Node and waits for its condition", async () => {
    await kubectlOk(kc, ["create", "-f", "-"], { input: NODE });
    await kubectlOk(kc, ["taint", "nodes", "worker-1", "dedicated=db:NoSchedule"]);
    await kubectlOk(kc, ["cordon", "worker-1"]);
    const spec = JSON.parse(
      await kubectlOk(kc, ["get", "node", "worker-1", "-o", "jsonpath={.spec}"]),
    );
    assert.deepEqual(spec, {
      taints: [{ effect: "NoSchedule", key: "dedicated", value: "db" }],
      unschedulable: true,
    });
    const waiting = kubectl(kc, [
      "wait",
      "--for=condition=Ready",
      "node/worker-1",
      "--timeout=10s",
    ]);
    await new Promise((r) => setTimeout(r, 500));
    await kubectlOk(kc, [
      "patch",
      "node",
      "worker-1",
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"KubeletReady","message":"ok"}]}}',
    ]);
    const w = await waiting;
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stdout, /node\/worker-1 condition met/);
    const nodes = await kubectlOk(kc, ["get", "nodes"]);
    assert.match(nodes, /^worker-1\s+Ready,SchedulingDisabled\s+<none>\s+\d+s\s*$/m);
  });

  it("describes objects", async () => {
    const out = await kubectlOk(kc, ["describe", "node", "worker-1"]);
    assert.match(out, /^Name:\s+worker-1$/m);
    assert.match(out, /^Taints:\s+dedicated=db:NoSchedule$/m);
    assert.match(out, /^Unschedulable:\s+true$/m);
    const svc = await kubectlOk(kc, ["describe", "service", "kubernetes"]);
    assert.match(svc, /^IP:\s+10\.43\.0\.1$/m);
  });

  it("allocates cluster IPs and node ports, refusing a taken node port", async () => {
    const svc = (name: string, nodePort?: number) =>
      JSON.stringify({
        apiVersion: "v1",
        kind: "Service",
        metadata: { name, namespace: "watched" },
        spec: {
          type: "NodePort",
          selector: { app: name },
          ports: [{ port: 80, ...(nodePort ? { nodePort } : {}) }],
        },
      });
    await kubectlOk(kc, ["create", "-f", "-"], { input: svc("a", 30080) });
    const a = JSON.parse(await kubectlOk(kc, ["get", "svc", "-n", "watched", "a", "-o", "json"]));
    assert.match(a.spec.clusterIP, /^10\.43\.\d+\.\d+$/);
    assert.equal(a.spec.ports[0].nodePort, 30080);
    assert.equal(a.spec.ports[0].targetPort, 80);
    const r = await kubectl(kc, ["create", "-f", "-"], { input: svc("b", 30080) });
    assert.match(
      r.stderr,
      /spec\.ports\[0\]\.nodePort: Invalid value: 30080: provided port is already allocated/,
    );
    await kubectlOk(kc, ["delete", "svc", "-n", "watched", "a"]);
    await kubectlOk(kc, ["create", "-f", "-"], { input: svc("b", 30080) });
  });

  it("deletes a namespace-scoped object with a grace period and lists events", async () => {
    await kubectlOk(kc, ["create", "configmap", "-n", "watched", "g", "--from-literal=a=b"]);
    assert.match(
      await kubectlOk(kc, ["delete", "cm", "-n", "watched", "g", "--grace-period=5"]),
      /deleted/,
    );
    const ev = await kubectl(kc, ["get", "events", "-A"]);
    assert.equal(ev.code, 0, ev.stderr);
  });
});
