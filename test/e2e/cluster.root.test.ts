// End-to-end suite (issue #11): `k8ts server` as its own process — the whole cluster in one
// command, this machine as a node on runc with a CNI bridge — driven with
// the real kubectl. It must come up Ready, run a Deployment the notes'
// way, stop on SIGTERM without stopping the workloads, and re-adopt them
// when started again.
// One file on purpose: two k8ts servers on one host would fight over the
// KUBE-* iptables chains and the DNS port, so every whole-cluster scenario
// runs here, in order, against one server.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { mountsUnder, unmount } from "../../src/kubelet/volumes/mounter.js";
import { httpGet } from "../kubelet/engine-harness.js";
import { until } from "../kubelet/harness.js";
import { k8ts, spawnK8ts } from "../support/cli.js";
import { deleteBridge } from "../support/cni.js";
import { type EtcdServer, startEtcd } from "../support/etcd.js";
import { KUBECTL, kubectl, kubectlOk } from "../support/kubectl.js";
import { freePort } from "../support/ports.js";
import { pidsMentioning } from "../support/processes.js";
import { startRegistry, type TestRegistry } from "../support/registry.js";
import { publishTestImages } from "../support/test-images.js";
import { tempDir } from "../support/tmp.js";
import { walkthrough, walkthroughManifest } from "./walkthrough.js";

const id = process.pid % 200;
const BRIDGE = `k8tsrv${id}`;
const CLUSTER_CIDR = `10.${100 + (id % 50)}.0.0/16`;
const NODE = "k8ts-server-e2e";
const CGROUP_ROOT = `/k8ts-server-test-${process.pid}`;

/** The cgroup dirs of `path` in every mounted hierarchy (v1 controllers, or the v2 root). */
function cgroupDirs(path: string): string[] {
  const base = "/sys/fs/cgroup";
  const roots = existsSync(join(base, "cgroup.controllers"))
    ? [base]
    : readdirSync(base)
        .map((d) => join(base, d))
        .filter((d) => !d.endsWith(".")); // every hierarchy, as mounted
  return roots.map((r) => join(r, path)).filter((d) => existsSync(d));
}

/** GET / on 127.0.0.1:port with a Host header (fetch does not let a client set Host). */
function getWithHost(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path: "/", headers: { host } }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => {
        body += d.toString();
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** How a TCP connect to host:port ends: an error code, "connected", or "timeout" after 3 s. */
function connectError(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3000 });
    socket.on("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.on("timeout", () => {
      socket.destroy();
      resolve("timeout");
    });
    socket.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? String(err)));
  });
}

describe("k8ts server (process)", () => {
  const dir = tempDir("server");
  let registry: TestRegistry;
  let ingressPort = 0;
  let ingressTlsPort = 0;
  let server: { child: ChildProcess; stderr: () => string } | undefined;
  /** Every server process of the suite (a restart starts another). */
  const started: { stderr: () => string }[] = [];
  const kc = join(dir.path, "data", "admin.kubeconfig");
  /** Every kubectl command this suite ran: the README walkthrough check reads it. */
  const ran: string[] = [];
  const run = (args: string[], input?: string) => {
    ran.push(JSON.stringify(args));
    return kubectlOk(kc, args, { ...(input === undefined ? {} : { input }), timeoutMs: 180_000 });
  };
  /** Waits for a pod to finish: its phase, Succeeded or Failed. */
  const finished = (pod: string) =>
    until(
      `${pod} finished`,
      async () => {
        const p = await run(["get", "pod", pod, "-o", "jsonpath={.status.phase}"]);
        return p === "Succeeded" || p === "Failed" ? p : undefined;
      },
      60_000,
    );
  /** The images of the nginx-deployment pods not being deleted, sorted. */
  const nginxImages = async () =>
    (
      JSON.parse(await run(["get", "pods", "-l", "app=nginx-deployment", "-o", "json"]))
        .items as Pod[]
    )
      .filter((p) => !p.metadata?.deletionTimestamp)
      .map((p) => p.spec?.containers[0]?.image ?? "")
      .sort();

  async function start(): Promise<number> {
    const t0 = performance.now();
    server = spawnK8ts([
      "server",
      "--data-dir",
      join(dir.path, "data"),
      "--https-listen-port",
      "0",
      "--kubelet-port",
      "0",
      "--node-name",
      NODE,
      "--cni-bridge",
      BRIDGE,
      "--cluster-cidr",
      CLUSTER_CIDR,
      "--registries",
      join(dir.path, "registries.yaml"),
      "--cgroup-root",
      CGROUP_ROOT,
      "--ingress-http-port",
      String(ingressPort),
      "--ingress-https-port",
      String(ingressTlsPort),
      "--node-label",
      "k8ts.test/suite=e2e",
      // PreferNoSchedule: recorded on the node, yet the one node still takes every pod.
      "--node-taint",
      "k8ts.test/e2e=true:PreferNoSchedule",
    ]);
    started.push(server);
    await until(
      "node Ready",
      async () => {
        if (!existsSync(kc)) return undefined;
        const r = await kubectl(kc, [
          "get",
          "node",
          NODE,
          "-o",
          'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
        ]);
        return r.stdout === "True" ? true : undefined;
      },
      60_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${server?.stderr().slice(-4000)}`);
    });
    return (performance.now() - t0) / 1000;
  }

  async function stop(): Promise<number | null> {
    const child = server?.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    child.kill("SIGTERM");
    return new Promise((r) => child.once("exit", (code) => r(code)));
  }

  before(async () => {
    ingressPort = await freePort();
    ingressTlsPort = await freePort();
    registry = await startRegistry();
    await publishTestImages(registry.address);
    writeFileSync(
      join(dir.path, "registries.yaml"),
      `mirrors:\n  docker.io:\n    endpoint:\n      - "http://${registry.address}"\n`,
    );
  });
  after(async () => {
    // What each server instance warned about, for the log of a failed run.
    for (const [i, s] of started.entries()) {
      const lines = s
        .stderr()
        .split("\n")
        .filter((l) => /^[WE]\d{4} /.test(l));
      if (lines.length > 0)
        console.log(
          `# server ${i + 1}: last warnings and errors\n# ${lines.slice(-30).join("\n# ")}`,
        );
    }
    try {
      await stop();
    } finally {
      if (server?.child.exitCode === null) server.child.kill("SIGKILL");
      // Safety net when a test failed before the reset test: the same cleanup.
      if (existsSync(join(dir.path, "data")))
        k8ts("reset", "--data-dir", join(dir.path, "data"), "--force");
      for (const m of await mountsUnder(dir.path)) await unmount(m).catch(() => {});
      for (const d of cgroupDirs(CGROUP_ROOT)) {
        try {
          rmdirSync(d);
        } catch {
          // not empty (a test failed mid-way): k8ts reset above removed what it could
        }
      }
      deleteBridge(BRIDGE);
      await registry?.stop();
      dir.remove();
    }
  });

  it("comes up with this machine as a Ready node with a podCIDR from the cluster CIDR", async () => {
    const secs = await start();
    console.log(`# k8ts server: node Ready after ${secs.toFixed(1)} s`);
    const cidr = await run(["get", "node", NODE, "-o", "jsonpath={.spec.podCIDR}"]);
    assert.match(cidr, new RegExp(`^10\\.${100 + (id % 50)}\\.\\d+\\.0/24$`));
    const nodes = await run(["get", "nodes"]);
    if (!new RegExp(`^${NODE}\\s+Ready\\s`, "m").test(nodes)) {
      // Seen twice in many runs: Ready, then NotReady a moment later. Say which condition and who wrote it.
      const conditions = await run(["get", "node", NODE, "-o", "jsonpath={.status.conditions}"]);
      const managers = await run([
        "get",
        "node",
        NODE,
        "--show-managed-fields",
        "-o",
        "jsonpath={.metadata.managedFields}",
      ]);
      assert.fail(`the node went NotReady after Ready:\n${nodes}\n${conditions}\n${managers}`);
    }
    assert.match(
      nodes,
      new RegExp(`^${NODE}\\s+Ready\\s+control-plane\\s`, "m"),
      "the node shows its role",
    );
    const node = JSON.parse(await run(["get", "node", NODE, "-o", "json"]));
    assert.equal(node.metadata.labels["node-role.kubernetes.io/control-plane"], "true");
    assert.equal(node.metadata.labels["k8ts.test/suite"], "e2e");
    assert.deepEqual(node.spec.taints, [
      { key: "k8ts.test/e2e", value: "true", effect: "PreferNoSchedule" },
    ]);
    const ready = await run(["get", "--raw", "/readyz?verbose"]);
    for (const line of ["[+]ping ok", "[+]etcd ok", "[+]poststarthook/bootstrap-controller ok"])
      assert.ok(ready.split("\n").includes(line), `${line} in:\n${ready}`);
    assert.match(ready, /readyz check passed\n$/);
    // The scheduler and controller manager hold their leader Leases: componentstatuses says so.
    const cs = await run(["get", "componentstatuses"]);
    for (const name of ["scheduler", "controller-manager", "etcd-0"])
      assert.match(cs, new RegExp(`^${name}\\s+Healthy\\s+ok`, "m"), cs);
    const live = await run(["get", "--raw", "/livez?verbose&exclude=etcd"]);
    assert.match(live, /^\[\+\]etcd excluded: ok$/m);
    assert.match(live, /livez check passed\n$/);
  });

  it("runs the notes' nginx Deployment: pods get IPs on the node's podCIDR and serve", async () => {
    await run([
      "create",
      "deployment",
      "nginx-deployment",
      "--image=nginx:1.7.9",
      "--replicas=2",
      "--port=80",
    ]);
    await run(["rollout", "status", "deployment/nginx-deployment"]);
    const pods: Pod[] = JSON.parse(
      await run(["get", "pods", "-l", "app=nginx-deployment", "-o", "json"]),
    ).items;
    const cidr = await run(["get", "node", NODE, "-o", "jsonpath={.spec.podCIDR}"]);
    const prefix = cidr.split(".").slice(0, 3).join(".");
    for (const p of pods) {
      assert.ok(p.status?.podIP?.startsWith(`${prefix}.`), `${p.status?.podIP} in ${cidr}`);
      assert.match((await httpGet(`http://${p.status?.podIP}/`)) ?? "", /Welcome to nginx/);
    }
    assert.ok(
      cgroupDirs(join(CGROUP_ROOT, "kubepods", "besteffort")).some((d) =>
        readdirSync(d).some((e) => e.startsWith("pod")),
      ),
      "the pods have their cgroups under kubepods",
    );
    const all = await run(["get", "pods", "-A"]);
    assert.match(all, /nginx-deployment-/);
  });

  it("scales the Deployment, rolls it to nginx:1.8, and rollout undo brings nginx:1.7.9 back", async () => {
    await run(["scale", "deployment/nginx-deployment", "--replicas=3"]);
    await run(["rollout", "status", "deployment/nginx-deployment"]);
    assert.deepEqual(await nginxImages(), ["nginx:1.7.9", "nginx:1.7.9", "nginx:1.7.9"]);
    await run(["set", "image", "deployment/nginx-deployment", "nginx=nginx:1.8"]);
    await run(["rollout", "status", "deployment/nginx-deployment"]);
    await until("3 pods on nginx:1.8", async () =>
      (await nginxImages()).join() === "nginx:1.8,nginx:1.8,nginx:1.8" ? true : undefined,
    );
    const history = await run(["rollout", "history", "deployment/nginx-deployment"]);
    assert.match(history, /^1\s/m, history);
    assert.match(history, /^2\s/m, history);
    await run(["rollout", "undo", "deployment/nginx-deployment"]);
    await run(["rollout", "status", "deployment/nginx-deployment"]);
    await until("3 pods back on nginx:1.7.9", async () =>
      (await nginxImages()).join() === "nginx:1.7.9,nginx:1.7.9,nginx:1.7.9" ? true : undefined,
    );
    const revision = await run([
      "get",
      "deployment",
      "nginx-deployment",
      "-o",
      "jsonpath={.metadata.annotations.deployment\\.kubernetes\\.io/revision}",
    ]);
    assert.equal(revision, "3", "the undo is a new revision, as upstream");
    const pods: Pod[] = JSON.parse(
      await run(["get", "pods", "-l", "app=nginx-deployment", "-o", "json"]),
    ).items;
    for (const p of pods.filter((p) => !p.metadata?.deletionTimestamp))
      assert.match((await httpGet(`http://${p.status?.podIP}/`)) ?? "", /Welcome to nginx/);
  });

  it("a Job runs to completion; a CronJob runs at once with create job --from", async () => {
    await run(["create", "job", "pi", "--image=busybox", "--", "sh", "-c", "echo 3.14159"]);
    await run(["wait", "--for=condition=complete", "job/pi", "--timeout=60s"]);
    assert.equal((await run(["logs", "job/pi"])).trim(), "3.14159");
    // Left in place: a later scenario waits for its own first run at the next full minute.
    await run([
      "create",
      "cronjob",
      "hello",
      "--image=busybox",
      "--schedule=*/1 * * * *",
      "--",
      "echo",
      "hello",
    ]);
    await run(["create", "job", "hello-now", "--from=cronjob/hello"]);
    await run(["wait", "--for=condition=complete", "job/hello-now", "--timeout=60s"]);
    assert.equal((await run(["logs", "job/hello-now"])).trim(), "hello");
    const job = JSON.parse(await run(["get", "job", "hello-now", "-o", "json"]));
    assert.equal(job.metadata.ownerReferences?.[0]?.name, "hello");
    assert.equal(job.metadata.annotations?.["cronjob.kubernetes.io/instantiate"], "manual");
    assert.match(await run(["get", "cronjob", "hello"]), /^hello\s+\*\/1 \* \* \* \*\s/m);
    await run(["delete", "job", "pi", "hello-now"]);
  });

  it("exposes the Deployment: its cluster IP and NodePort answer, and a pod finds it by DNS name", async () => {
    await run(["expose", "deployment", "nginx-deployment", "--port=80", "--type=NodePort"]);
    const svc = JSON.parse(await run(["get", "service", "nginx-deployment", "-o", "json"]));
    const nodeIp = await run([
      "get",
      "node",
      NODE,
      "-o",
      'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}',
    ]);
    await until("cluster IP answers", async () =>
      /Welcome to nginx/.test((await httpGet(`http://${svc.spec.clusterIP}/`)) ?? "")
        ? true
        : undefined,
    );
    await until("NodePort answers", async () =>
      /Welcome to nginx/.test(
        (await httpGet(`http://${nodeIp}:${svc.spec.ports[0].nodePort}/`)) ?? "",
      )
        ? true
        : undefined,
    );
    // The README's walkthrough: a client pod reaches the Service by its DNS name.
    await run([
      "run",
      "dns-client",
      "--image=busybox",
      "--restart=Never",
      "--",
      "sh",
      "-c",
      "nslookup nginx-deployment.default.svc.cluster.local && wget -qO- http://nginx-deployment/",
    ]);
    const phase = await finished("dns-client");
    const logs = await run(["logs", "dns-client"]);
    assert.equal(phase, "Succeeded", logs);
    assert.ok(logs.includes(svc.spec.clusterIP), `nslookup answered the cluster IP:\n${logs}`);
    assert.match(logs, /Welcome to nginx/);
    await run(["delete", "pod", "dns-client"]);
    // The README's lines, as a newcomer types them.
    assert.match(
      await run(["get", "service", "nginx-deployment"]),
      new RegExp(
        `^nginx-deployment\\s+NodePort\\s+${svc.spec.clusterIP}\\s+<none>\\s+80:\\d+/TCP`,
        "m",
      ),
    );
    await run([
      "run",
      "client",
      "--image=busybox",
      "--restart=Never",
      "--",
      "wget",
      "-qO-",
      "http://nginx-deployment",
    ]);
    assert.equal(await finished("client"), "Succeeded");
    assert.match(await run(["logs", "client"]), /Welcome to nginx/);
    await run(["delete", "pod", "client"]);
  });

  it("a pod reaches the API with its mounted service-account token through the kubernetes Service, within what RBAC grants its account", async () => {
    const sa = "/var/run/secrets/kubernetes.io/serviceaccount";
    // As upstream, a service account may do nothing until bound: view in its namespace.
    await run([
      "create",
      "rolebinding",
      "default-view",
      "--clusterrole=view",
      "--serviceaccount=default:default",
    ]);
    const curl = `curl -sS --cacert ${sa}/ca.crt -H "Authorization: Bearer $(cat ${sa}/token)"`;
    await run([
      "run",
      "in-cluster",
      "--image=curl",
      "--restart=Never",
      "--",
      "sh",
      "-c",
      `${curl} --fail https://kubernetes.default.svc/api/v1/namespaces/$(cat ${sa}/namespace)/pods && echo && ${curl} -o /dev/null -w 'nodes:%{http_code}' https://kubernetes.default.svc/api/v1/nodes`,
    ]);
    const phase = await finished("in-cluster");
    const logs = await run(["logs", "in-cluster"]);
    assert.equal(phase, "Succeeded", logs);
    const [pods = "", nodes] = logs.split(/\n(?=nodes:)/);
    const list = JSON.parse(pods);
    assert.equal(list.kind, "PodList");
    assert.ok(list.items.some((p: Pod) => p.metadata?.name === "in-cluster"));
    assert.equal(nodes?.trim(), "nodes:403", "view in a namespace does not reach nodes");
    await run(["delete", "pod", "in-cluster"]);
    await run(["delete", "rolebinding", "default-view"]);
  });

  it("a LoadBalancer Service gets the node's address from the built-in load balancer and answers there", async () => {
    await run([
      "expose",
      "deployment",
      "nginx-deployment",
      "--name=nginx-lb",
      "--type=LoadBalancer",
      "--port=8081",
      "--target-port=80",
    ]);
    const nodeIp = await run([
      "get",
      "node",
      NODE,
      "-o",
      'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}',
    ]);
    const ip = await until("a load-balancer address", async () => {
      const v = await run([
        "get",
        "service",
        "nginx-lb",
        "-o",
        "jsonpath={.status.loadBalancer.ingress[0].ip}",
      ]);
      return v || undefined;
    });
    assert.equal(ip, nodeIp);
    await until("the load-balancer address answers", async () =>
      /Welcome to nginx/.test((await httpGet(`http://${ip}:8081/`)) ?? "") ? true : undefined,
    );
    await run(["delete", "service", "nginx-lb"]);
  });

  it("routes an Ingress on the node's ingress controller to the Service", async () => {
    await run(["create", "ingress", "nginx", "--rule=nginx.example.test/*=nginx-deployment:80"]);
    let last: unknown;
    const body = await until("the ingress answers for the host", async () => {
      const r = await getWithHost(ingressPort, "nginx.example.test").catch((err: unknown) => err);
      last = r;
      return (r as { status?: number }).status === 200 ? (r as { body: string }).body : undefined;
    }).catch((err: unknown) => {
      throw new Error(
        `${String(err)}; last answer ${JSON.stringify(last) ?? String(last)}\n${server?.stderr().slice(-2000)}`,
      );
    });
    assert.match(body, /Welcome to nginx/);
    assert.equal((await getWithHost(ingressPort, "other.test")).status, 404);
    await run(["delete", "ingress", "nginx"]);
  });

  /** A busybox pod that idles (and exits at once on SIGTERM), Ready, for `kubectl exec`. */
  async function toolbox(name: string): Promise<void> {
    await run([
      "run",
      name,
      "--image=busybox",
      "--restart=Never",
      "--",
      "sh",
      "-c",
      'trap "exit 0" TERM; while true; do sleep 1; done',
    ]);
    await run(["wait", "--for=condition=Ready", `pod/${name}`, "--timeout=60s"]);
  }

  /** `sh -c script` in a pod: the exit code and everything it printed. */
  async function sh(pod: string, script: string): Promise<{ code: number | null; out: string }> {
    const r = await kubectl(kc, ["exec", pod, "--", "sh", "-c", script], { timeoutMs: 60_000 });
    return { code: r.code, out: r.stdout + r.stderr };
  }

  /** The ready addresses of a Service's Endpoints. */
  async function readyIps(svc: string): Promise<string[]> {
    const ips = await run([
      "get",
      "endpoints",
      svc,
      "-o",
      "jsonpath={.subsets[*].addresses[*].ip}",
    ]);
    return ips.split(/\s+/).filter((s) => s !== "");
  }

  /** busybox httpd answering its pod's name: pods of Deployments and StatefulSets below. */
  const whoami = [
    "sh",
    "-c",
    "mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www",
  ];

  it("load-balances a Service over 3 replicas: by DNS name from a pod, on its NodePort, through port-forward", async () => {
    await run(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: { name: "whoami" },
        spec: {
          replicas: 3,
          selector: { matchLabels: { app: "whoami" } },
          template: {
            metadata: { labels: { app: "whoami" } },
            spec: {
              terminationGracePeriodSeconds: 1, // httpd as pid 1 ignores SIGTERM
              containers: [
                {
                  name: "httpd",
                  image: "busybox",
                  command: whoami,
                  ports: [{ containerPort: 80 }],
                },
              ],
            },
          },
        },
      }),
    );
    await run(["expose", "deployment", "whoami", "--port=80", "--type=NodePort"]);
    await run(["rollout", "status", "deployment/whoami", "--timeout=120s"]);
    const pods = (
      await run(["get", "pods", "-l", "app=whoami", "-o", "jsonpath={.items[*].metadata.name}"])
    )
      .split(" ")
      .sort();
    assert.equal(pods.length, 3);
    await toolbox("lb-client");
    await until("the Service has 3 endpoints", async () =>
      (await readyIps("whoami")).length === 3 ? true : undefined,
    );
    // The proxy follows EndpointSlices on its own informers and rate-limited syncs: until
    // it has written the new cluster IP's rules, traffic to it leaves by the default route
    // (as upstream's), and it may still hold fewer endpoints than the Endpoints object.
    // Wait until the cluster IP itself has reached all 3 pods (each GET a new connection).
    const clusterIP = await run(["get", "service", "whoami", "-o", "jsonpath={.spec.clusterIP}"]);
    const reached = new Set<string>();
    await until("the cluster IP reaches all 3 pods", async () => {
      const answer = (await httpGet(`http://${clusterIP}/`))?.trim() ?? "";
      if (pods.includes(answer)) reached.add(answer);
      return reached.size === 3 ? true : undefined;
    });
    const r = await sh(
      "lb-client",
      "for i in $(seq 30); do wget -qO- http://whoami.default.svc.cluster.local || echo FAILED; done",
    );
    const answers = r.out.split("\n").filter((l) => l !== "");
    assert.equal(answers.length, 30, r.out);
    assert.deepEqual([...new Set(answers)].sort(), pods, `30 requests reach all 3 pods:\n${r.out}`);

    const nodeIp = await run([
      "get",
      "node",
      NODE,
      "-o",
      'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}',
    ]);
    const nodePort = await run([
      "get",
      "service",
      "whoami",
      "-o",
      "jsonpath={.spec.ports[0].nodePort}",
    ]);
    const viaNodePort = await until("NodePort answers", () =>
      httpGet(`http://${nodeIp}:${nodePort}/`),
    );
    assert.ok(pods.includes(viaNodePort.trim()), viaNodePort);

    const local = await freePort();
    const pf = spawn(KUBECTL, ["port-forward", "svc/whoami", `${local}:80`], {
      env: { ...process.env, KUBECONFIG: kc },
      stdio: "ignore",
    });
    try {
      const viaForward = await until("port-forward answers", () =>
        httpGet(`http://127.0.0.1:${local}/`),
      );
      assert.ok(pods.includes(viaForward.trim()), viaForward);
    } finally {
      pf.kill();
    }
    await run(["delete", "pod", "lb-client"]);
    await run(["delete", "service", "whoami"]);
    await run(["delete", "deployment", "whoami"]);
  });

  it("a headless Service names each StatefulSet pod in DNS, and the name follows a recreated pod", async () => {
    await run(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
          {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "nginx", labels: { app: "nginx" } },
            spec: {
              clusterIP: "None",
              selector: { app: "nginx" },
              ports: [{ name: "web", port: 80 }],
            },
          },
          {
            apiVersion: "apps/v1",
            kind: "StatefulSet",
            metadata: { name: "web" },
            spec: {
              serviceName: "nginx",
              replicas: 2,
              selector: { matchLabels: { app: "nginx" } },
              template: {
                metadata: { labels: { app: "nginx" } },
                spec: {
                  containers: [
                    {
                      name: "nginx",
                      image: "nginx:1.7.9",
                      ports: [{ name: "web", containerPort: 80 }],
                    },
                  ],
                },
              },
            },
          },
        ],
      }),
    );
    await toolbox("dns-web");
    await run(["rollout", "status", "statefulset/web", "--timeout=120s"]);
    const podIp = (name: string) => run(["get", "pod", name, "-o", "jsonpath={.status.podIP}"]);
    const resolves = async (ip: string) => {
      const r = await sh("dns-web", "nslookup web-0.nginx.default.svc.cluster.local");
      return r.code === 0 && new RegExp(`Address:\\s*${ip.replaceAll(".", "\\.")}\\b`).test(r.out)
        ? true
        : undefined;
    };
    const first = await podIp("web-0");
    await until("web-0's name resolves to its IP", () => resolves(first), 30_000);
    const uid = await run(["get", "pod", "web-0", "-o", "jsonpath={.metadata.uid}"]);
    await run(["delete", "pod", "web-0"]);
    const second = await until(
      "web-0 recreated with an IP",
      async () => {
        const p = JSON.parse(await run(["get", "pod", "web-0", "-o", "json"])) as Pod;
        return p.metadata?.uid !== uid && p.status?.podIP ? p.status.podIP : undefined;
      },
      60_000,
    );
    await until("web-0's name resolves to the new IP", () => resolves(second), 30_000);
    await run(["delete", "pod", "dns-web"]);
    await run(["delete", "statefulset", "web"]);
    await run(["delete", "service", "nginx"]);
  });

  it("a pod failing readiness leaves the endpoints within a probe period and gets no traffic; no endpoints refuses at once", async () => {
    const periodSeconds = 2;
    const pod = (name: string) => ({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name, labels: { app: "ready-test" } },
      spec: {
        terminationGracePeriodSeconds: 1, // httpd as pid 1 ignores SIGTERM
        containers: [
          {
            name: "httpd",
            image: "busybox",
            command: [
              "sh",
              "-c",
              "touch /tmp/ready && mkdir -p /www && hostname > /www/index.html && exec httpd -f -p 80 -h /www",
            ],
            readinessProbe: {
              exec: { command: ["cat", "/tmp/ready"] },
              periodSeconds,
              failureThreshold: 1,
            },
          },
        ],
      },
    });
    await run(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        items: [
          pod("ready-a"),
          pod("ready-b"),
          {
            apiVersion: "v1",
            kind: "Service",
            metadata: { name: "ready-test" },
            spec: { selector: { app: "ready-test" }, ports: [{ port: 80 }] },
          },
        ],
      }),
    );
    await toolbox("ready-client");
    await until(
      "both pods are endpoints",
      async () => ((await readyIps("ready-test")).length === 2 ? true : undefined),
      60_000,
    );
    const ipA = await run(["get", "pod", "ready-a", "-o", "jsonpath={.status.podIP}"]);

    await run(["exec", "ready-a", "--", "rm", "/tmp/ready"]);
    const t0 = performance.now();
    await until("ready-a leaves the endpoints", async () =>
      (await readyIps("ready-test")).includes(ipA) ? undefined : true,
    );
    const secs = (performance.now() - t0) / 1000;
    console.log(`# readiness: endpoint removed ${secs.toFixed(1)} s after the probe began failing`);
    assert.ok(secs < periodSeconds + 2 + 2, `removed after ${secs.toFixed(1)} s`);
    await new Promise((r) => setTimeout(r, 1500)); // the proxy syncs at most once a second
    const r = await sh(
      "ready-client",
      "for i in $(seq 20); do wget -qO- http://ready-test || echo FAILED; done",
    );
    const answers = r.out.split("\n").filter((l) => l !== "");
    assert.deepEqual([...new Set(answers)], ["ready-b"], `only ready-b answers:\n${r.out}`);

    await run(["exec", "ready-b", "--", "rm", "/tmp/ready"]);
    await until("no ready endpoints", async () =>
      (await readyIps("ready-test")).length === 0 ? true : undefined,
    );
    const clusterIp = await run([
      "get",
      "service",
      "ready-test",
      "-o",
      "jsonpath={.spec.clusterIP}",
    ]);
    const refused = await until("the cluster IP refuses connections", async () => {
      const t = performance.now();
      const code = await connectError(clusterIp, 80);
      return code === "ECONNREFUSED" ? performance.now() - t : undefined;
    });
    assert.ok(refused < 1000, `refused after ${refused.toFixed(0)} ms`);
    // From a pod too: its traffic is forwarded, and the proxy's REJECT comes before the
    // pod network's ACCEPT in FORWARD (it used to be skipped and the packet left the node).
    // (busybox wget's -T crashes on a refused connection: none needed, a REJECT answers at once.)
    const fromPod = await sh("ready-client", "wget -qO- http://ready-test 2>&1");
    assert.notEqual(fromPod.code, 0, fromPod.out);
    assert.match(fromPod.out, /Connection refused/);
    await run(["delete", "pod", "ready-client", "ready-a", "ready-b"]);
    await run(["delete", "service", "ready-test"]);
  });

  it("cluster DNS: NXDOMAIN for unknown names, ExternalName as a CNAME, kubernetes.default by search path", async () => {
    await run([
      "create",
      "service",
      "externalname",
      "ext",
      "--external-name=kubernetes.default.svc.cluster.local",
    ]);
    await toolbox("dns-probe");
    const missing = await sh("dns-probe", "nslookup does-not-exist.default.svc.cluster.local");
    assert.notEqual(missing.code, 0, missing.out);
    assert.match(missing.out, /NXDOMAIN/);
    const ext = await sh("dns-probe", "nslookup ext.default.svc.cluster.local");
    assert.match(
      ext.out,
      /ext\.default\.svc\.cluster\.local\s+canonical name = kubernetes\.default\.svc\.cluster\.local/,
    );
    const apiIp = await run(["get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}"]);
    // busybox's nslookup asks for the name as given; the C library's resolver (ping's) applies
    // the pod's search path. ICMP to a cluster IP gets no answer: only the name matters here.
    const k = await sh("dns-probe", "ping -c 1 -W 1 kubernetes.default");
    assert.ok(k.out.includes(`(${apiIp})`), `kubernetes.default resolves to ${apiIp}:\n${k.out}`);
    await run(["delete", "pod", "dns-probe"]);
    await run(["delete", "service", "ext"]);
  });

  it("a pod's hostPort answers on the node IP", async () => {
    await run(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "host-port" },
        spec: {
          terminationGracePeriodSeconds: 1, // httpd as pid 1 ignores SIGTERM
          containers: [
            {
              name: "httpd",
              image: "busybox",
              command: whoami,
              ports: [{ containerPort: 80, hostPort: 8088 }],
            },
          ],
        },
      }),
    );
    await run(["wait", "--for=condition=Ready", "pod/host-port", "--timeout=60s"]);
    const nodeIp = await run([
      "get",
      "node",
      NODE,
      "-o",
      'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}',
    ]);
    const body = await until("the hostPort answers", () => httpGet(`http://${nodeIp}:8088/`));
    assert.equal(body.trim(), "host-port");
    await run(["delete", "pod", "host-port"]);
    await until("the hostPort is released", async () =>
      (await connectError(nodeIp, 8088)) === "ECONNREFUSED" ? true : undefined,
    );
  });

  it("a Secret and a ConfigMap projected into a pod: exec shows the files; an updated Secret reaches the file", async () => {
    await run(["create", "secret", "generic", "db", "--from-literal=password=s3cret"]);
    await run(["create", "configmap", "web", "--from-literal=greeting=hello"]);
    await run(["apply", "-f", "-"], walkthroughManifest("projected"));
    await run(["wait", "--for=condition=Ready", "pod/projected"]);
    assert.equal(
      await run(["exec", "projected", "--", "cat", "/etc/config/password", "/etc/config/greeting"]),
      "s3crethello",
    );
    const changed = await run([
      "create",
      "secret",
      "generic",
      "db",
      "--from-literal=password=changed",
      "--dry-run=client",
      "-o",
      "yaml",
    ]);
    await run(["apply", "-f", "-"], changed);
    const t0 = performance.now();
    await until(
      "the projected file shows the new password",
      async () =>
        (await run(["exec", "projected", "--", "cat", "/etc/config/password"])) === "changed"
          ? true
          : undefined,
      90_000,
    );
    const secs = (performance.now() - t0) / 1000;
    console.log(`# projected Secret: the file changed ${secs.toFixed(1)} s after the update`);
    await run(["delete", "pod", "projected"]);
    await run(["delete", "secret", "db"]);
    await run(["delete", "configmap", "web"]);
  });

  it("a StatefulSet's claim template gets a Bound local-path volume whose data outlives the pod", async () => {
    await run(["apply", "-f", "-"], walkthroughManifest("data"));
    await run(["rollout", "status", "statefulset/data"]);
    const pvc = JSON.parse(await run(["get", "pvc", "data-data-0", "-o", "json"]));
    assert.equal(pvc.status.phase, "Bound");
    assert.equal(pvc.spec.storageClassName, "local-path");
    assert.match(await run(["get", "pvc", "data-data-0"]), /^data-data-0\s+Bound\s+pvc-/m);
    const uid = await run(["get", "pod", "data-0", "-o", "jsonpath={.metadata.uid}"]);
    await run(["exec", "data-0", "--", "sh", "-c", "echo saved > /data/file"]);
    await run(["delete", "pod", "data-0"]);
    await run(["rollout", "status", "statefulset/data"]);
    const saved = await until(
      "the new data-0 reads the file",
      async () => {
        const now = await run(["get", "pod", "data-0", "-o", "jsonpath={.metadata.uid}"]);
        return now !== uid ? await run(["exec", "data-0", "--", "cat", "/data/file"]) : undefined;
      },
      90_000,
    );
    assert.equal(saved, "saved\n");
    await run(["delete", "statefulset", "data"]);
    await run(["delete", "pvc", "data-data-0"]);
    await until("its local-path volume is released and deleted", async () =>
      (await run(["get", "pv", "-o", "name"])).includes(pvc.spec.volumeName) ? undefined : true,
    );
  });

  it("the CronJob runs on its own schedule: its Job completes at the next full minute", async () => {
    const cron = await until(
      "the CronJob's first scheduled run",
      async () => {
        const cj = JSON.parse(await run(["get", "cronjob", "hello", "-o", "json"]));
        return cj.status?.lastScheduleTime ? cj : undefined;
      },
      90_000,
    );
    assert.match(cron.status.lastScheduleTime, /:00Z$/, "at a full minute");
    const jobs = JSON.parse(await run(["get", "jobs", "-o", "json"])).items.filter(
      (j: { metadata: { name: string } }) => /^hello-\d+$/.test(j.metadata.name),
    );
    assert.ok(jobs.length >= 1, "a Job named hello-<scheduled minute>");
    await run([
      "wait",
      "--for=condition=complete",
      `job/${jobs[0].metadata.name}`,
      "--timeout=60s",
    ]);
    await run(["delete", "cronjob", "hello"]);
  });

  it("RBAC as the README shows it: a service account may do what its binding grants, --as asks for it", async () => {
    await run(["create", "namespace", "team-a"]);
    await run(["create", "serviceaccount", "builder", "-n", "team-a"]);
    await run([
      "create",
      "rolebinding",
      "builder-edit",
      "--clusterrole=edit",
      "--serviceaccount=team-a:builder",
      "-n",
      "team-a",
    ]);
    const asBuilder = "--as=system:serviceaccount:team-a:builder";
    // edit is aggregated by the controller manager's clusterrole-aggregation controller.
    assert.equal(
      (await run(["auth", "can-i", "create", "deployments", "-n", "team-a", asBuilder])).trim(),
      "yes",
    );
    const nodes = ["auth", "can-i", "list", "nodes", asBuilder];
    ran.push(JSON.stringify(nodes));
    const no = await kubectl(kc, nodes);
    assert.equal(no.stdout.trim(), "no", no.stderr);
    assert.equal(no.code, 1);
    await run(["delete", "namespace", "team-a"]);
  });

  it("a CustomResourceDefinition as the README shows it: established, served with defaults and columns, explained, deleted with its objects", async () => {
    await run(["apply", "-f", "-"], walkthroughManifest("crontabs.stable.example.com"));
    await run(["wait", "--for=condition=established", "crd/crontabs.stable.example.com"]);
    await run(["apply", "-f", "-"], walkthroughManifest("my-new-cron-object"));
    const table = await run(["get", "ct"]);
    assert.match(table, /^NAME\s+SPEC\s+REPLICAS$/m);
    assert.match(table, /^my-new-cron-object\s+\* \* \* \* \*\/5\s+1$/m);
    assert.match(await run(["explain", "crontab.spec"]), /replicas\s+<integer>/);
    await run(["delete", "crd", "crontabs.stable.example.com"]);
    const left = await kubectl(kc, ["get", "ct"]);
    assert.notEqual(left.code, 0, "the resource is gone with its CRD");
  });

  it("ran every kubectl command of the README's walkthrough", () => {
    const missing = walkthrough()
      .map((c) => JSON.stringify(c.args))
      .filter((args) => !ran.includes(args));
    assert.deepEqual(missing, [], "README walkthrough commands this suite does not run");
  });

  it("SIGTERM stops k8ts but not the workloads; a restart re-adopts them without restarts", async () => {
    const before: Pod[] = JSON.parse(
      await run(["get", "pods", "-l", "app=nginx-deployment", "-o", "json"]),
    ).items;
    assert.equal(await stop(), 0, server?.stderr().slice(-3000));
    for (const p of before) {
      assert.match(
        (await httpGet(`http://${p.status?.podIP}/`)) ?? "",
        /Welcome to nginx/,
        "still serving while k8ts is down",
      );
    }
    await start();
    await run(["rollout", "status", "deployment/nginx-deployment", "--timeout=60s"]);
    const after: Pod[] = JSON.parse(
      await run(["get", "pods", "-l", "app=nginx-deployment", "-o", "json"]),
    ).items;
    assert.deepEqual(
      after.map((p) => [p.metadata?.name, p.status?.podIP]).sort(),
      before.map((p) => [p.metadata?.name, p.status?.podIP]).sort(),
      "same pods, same IPs",
    );
    for (const p of after) assert.equal(p.status?.containerStatuses?.[0]?.restartCount, 0);
  });

  it("k8ts reset removes the pods, the pod network, the service rules, mounts and the data dir", async () => {
    const data = join(dir.path, "data");
    assert.equal(await stop(), 0);
    assert.ok(pidsMentioning(data).length > 0, "the workloads outlive k8ts");
    // A container started by hand on the same data dir (`k8ts run`) goes too. Here, not in
    // the run suite: reset clears host-wide rules that a running cluster needs.
    const byHand = k8ts(
      "run",
      "-d",
      "--data-dir",
      data,
      "--registries",
      join(dir.path, "registries.yaml"),
      "--name",
      "by-hand",
      "busybox",
      "sh",
      "-c",
      "sleep 1000",
    );
    assert.equal(byHand.status, 0, byHand.stderr);
    const inspected = k8ts("inspect", "--data-dir", data, "by-hand");
    const sandbox = (JSON.parse(inspected.stdout) as { PodSandboxId: string }[])[0]?.PodSandboxId;
    assert.ok(sandbox, inspected.stderr);
    const r = k8ts("reset", "--data-dir", data, "--force");
    assert.equal(r.status, 0, r.stderr);
    await until("containers gone", async () =>
      pidsMentioning(data).length === 0 ? true : undefined,
    );
    assert.equal(existsSync(data), false, "data dir removed");
    assert.deepEqual(cgroupDirs(join(CGROUP_ROOT, "kubepods")), [], "pod cgroups removed");
    assert.deepEqual(await mountsUnder(dir.path), []);
    assert.doesNotMatch(
      execFileSync("ip", ["link", "show"], { encoding: "utf8" }),
      new RegExp(`${BRIDGE}|k8ts-run0`),
    );
    assert.doesNotMatch(
      execFileSync("ip", ["netns", "list"], { encoding: "utf8" }),
      new RegExp(`k8ts-run-${sandbox.slice(0, 24)}`),
    );
    assert.doesNotMatch(execFileSync("iptables-save", { encoding: "utf8" }), /KUBE-SERVICES/);
    assert.doesNotMatch(
      execFileSync("iptables-save", ["-t", "nat"], { encoding: "utf8" }),
      new RegExp(CLUSTER_CIDR.split(".").slice(0, 2).join("\\.")),
    );
  });
});

// After the main server has been reset: a control-plane-only server (no node, so no
// iptables or DNS port on the host) on a real etcd instead of the embedded store.
describe("k8ts server --datastore-endpoint (etcd)", () => {
  const dir = tempDir("server-etcd");
  let etcd: EtcdServer | undefined;
  let server: { child: ChildProcess; stderr: () => string } | undefined;
  after(async () => {
    try {
      const child = server?.child;
      if (child && child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGKILL");
        await exited;
      }
    } finally {
      await etcd?.stop();
      dir.remove();
    }
  });

  it("keeps the cluster in etcd: what kubectl creates is under /registry in etcd", async () => {
    etcd = await startEtcd();
    const data = join(dir.path, "data");
    server = spawnK8ts([
      "server",
      "--disable-agent",
      "--data-dir",
      data,
      "--datastore-endpoint",
      etcd.endpoint,
      "--bind-address",
      "127.0.0.1",
      "--https-listen-port",
      "0",
      "--cluster-dns-port",
      "0",
    ]);
    const kc = join(data, "admin.kubeconfig");
    await until(
      "the API server ready on etcd",
      async () =>
        existsSync(kc) && (await kubectl(kc, ["get", "--raw", "/readyz"])).stdout === "ok"
          ? true
          : undefined,
      60_000,
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}\n${server?.stderr().slice(-3000)}`);
    });
    await kubectlOk(kc, ["create", "configmap", "on-etcd", "--from-literal=store=etcd"]);
    assert.equal(
      await kubectlOk(kc, ["get", "configmap", "on-etcd", "-o", "jsonpath={.data.store}"]),
      "etcd",
    );
    const stored = execFileSync(
      "etcdctl",
      [
        "--endpoints",
        etcd.endpoint,
        "get",
        "/registry/configmaps/default/on-etcd",
        "--print-value-only",
      ],
      { encoding: "utf8" },
    );
    assert.equal(JSON.parse(stored).data.store, "etcd");
    // The controllers run on it too: the service-account controller fills in namespaces.
    await until("the default ServiceAccount", async () =>
      (await kubectl(kc, ["get", "serviceaccount", "default"])).code === 0 ? true : undefined,
    );
    const cs = await kubectlOk(kc, ["get", "cs"]);
    assert.match(cs, /^etcd-0\s+Healthy\s+ok/m, cs);
    assert.match(cs, /^controller-manager\s+Healthy\s+ok/m, cs);
    assert.equal(
      (await kubectl(kc, ["get", "nodes", "-o", "name"])).stdout,
      "",
      "--disable-agent: no node",
    );
    const child = server.child;
    const code = await new Promise((r) => {
      child.once("exit", r);
      child.kill("SIGTERM");
    });
    assert.equal(code, 0, server.stderr().slice(-3000));
  });
});
