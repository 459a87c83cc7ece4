// Root suite: the kubelet over the runc engine with real CNI (bridge +
// host-local), images built from Debian packages and pulled through a
// loopback docker-registry acting as the docker.io mirror, driven with the
// real kubectl. The notes' pod examples, end to end.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { freePort } from "../support/ports.js";
import { type EngineKubelet, httpGet, startEngineKubelet } from "./engine-harness.js";
import { type KubeletHarness, until } from "./harness.js";
import { kubectlOnPty, typeUntil } from "./kubectl-pty.js";

/**
 * The shell's answer on a line of its own. Its line end is "\r\n" as a rule;
 * one CI run saw a bare "\n" (output processing off on the container's
 * terminal at that moment) — the answer is what these tests check.
 */
const ANSWER = /\n42\r?\n/;

describe("kubelet over the runc engine", () => {
  let k: EngineKubelet;
  let h: KubeletHarness | undefined;
  let dirPath = "";
  let hostData = "";

  const apply = (obj: object) => k.apply(obj);
  const podOf = (name: string) => (h as KubeletHarness).getPod(name);
  const phase = async (name: string) => (await podOf(name))?.status?.phase;
  const runningPod = (name: string, timeoutMs = 60_000) => k.runningPod(name, timeoutMs);
  const containerId = (p: Pod, name: string) =>
    (p.status?.containerStatuses?.find((s) => s.name === name)?.containerID ?? "").replace(
      /^k8ts:\/\//,
      "",
    );
  const execIn = (p: Pod, name: string, cmd: string[]) => k.execIn(p, name, cmd);
  const pod = (name: string, spec: object, labels: Record<string, string> = {}) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, labels },
    spec: { nodeName: "node-1", terminationGracePeriodSeconds: 2, ...spec },
  });

  /** An OnFailure pod whose script keeps state across restarts in an emptyDir at /state. */
  const retryPod = (name: string, script: string) =>
    pod(name, {
      restartPolicy: "OnFailure",
      volumes: [{ name: "state", emptyDir: {} }],
      containers: [
        {
          name: "c",
          image: "busybox",
          command: ["sh", "-c", script],
          volumeMounts: [{ name: "state", mountPath: "/state" }],
        },
      ],
    });

  before(async () => {
    k = await startEngineKubelet(0);
    h = k.h;
    dirPath = k.dir;
    hostData = join(dirPath, "host-data");
    mkdirSync(hostData, { recursive: true });
  });

  after(async () => {
    await k?.stop();
  });

  it("two-containers: nginx serves the index.html the other container wrote to a shared hostPath", async () => {
    const shared = join(hostData, "two-containers");
    await apply(
      pod("two-containers", {
        restartPolicy: "Never",
        volumes: [{ name: "shared-data", hostPath: { path: shared, type: "DirectoryOrCreate" } }],
        containers: [
          {
            name: "nginx-container",
            image: "nginx",
            volumeMounts: [{ name: "shared-data", mountPath: "/usr/share/nginx/html" }],
          },
          {
            name: "debian-container",
            image: "busybox",
            volumeMounts: [{ name: "shared-data", mountPath: "/pod-data" }],
            command: ["/bin/sh"],
            args: ["-c", "echo Hello from the debian container > /pod-data/index.html"],
          },
        ],
      }),
    );
    const p = await runningPod("two-containers");
    const body = await until("nginx serves the file", () => httpGet(`http://${p.status?.podIP}/`));
    assert.equal(body, "Hello from the debian container\n");
    assert.equal(
      readFileSync(join(shared, "index.html"), "utf8"),
      "Hello from the debian container\n",
    );
    const done = await until("debian-container Completed", async () => {
      const s = (await podOf("two-containers"))?.status?.containerStatuses?.find(
        (x) => x.name === "debian-container",
      );
      return s?.state?.terminated ? s : undefined;
    });
    assert.equal(done.state?.terminated?.reason, "Completed", JSON.stringify(done));
    const table = await (h as KubeletHarness).kubectl([
      "get",
      "pod",
      "two-containers",
      "--no-headers",
    ]);
    assert.match(table, /two-containers\s+1\/2\s+NotReady\s+0/);
  });

  it("javaweb-2 pattern: an init container fills an emptyDir, then the server serves it", async () => {
    await apply(
      pod("javaweb-2", {
        initContainers: [
          {
            name: "war",
            image: "busybox:1.36",
            command: ["sh", "-c", "echo sample-war > /app/sample.war"],
            volumeMounts: [{ name: "app-volume", mountPath: "/app" }],
          },
        ],
        containers: [
          {
            name: "tomcat",
            image: "busybox:1.36",
            command: ["httpd", "-f", "-p", "8080", "-h", "/root/apache-tomcat/webapps"],
            ports: [{ containerPort: 8080, hostPort: 0 }],
            volumeMounts: [{ name: "app-volume", mountPath: "/root/apache-tomcat/webapps" }],
          },
        ],
        volumes: [{ name: "app-volume", emptyDir: {} }],
      }),
    );
    const p = await runningPod("javaweb-2");
    assert.equal(
      await until("served", () => httpGet(`http://${p.status?.podIP}:8080/sample.war`)),
      "sample-war\n",
    );
    const init = p.status?.initContainerStatuses?.[0];
    assert.equal(init?.state?.terminated?.reason, "Completed");
    const initDone = Date.parse(init?.state?.terminated?.finishedAt ?? "");
    const appStart = Date.parse(p.status?.containerStatuses?.[0]?.state?.running?.startedAt ?? "");
    assert.ok(initDone <= appStart, "the init container finished before the app started");
    assert.equal(p.status?.conditions?.find((c) => c.type === "Initialized")?.status, "True");
  });

  it("projected volume: secrets appear as files and follow an update of the Secret", async () => {
    const hh = h as KubeletHarness;
    const files = join(dirPath, "secret-files");
    mkdirSync(files, { recursive: true });
    writeFileSync(join(files, "username.txt"), "admin");
    writeFileSync(join(files, "password.txt"), "c1oudc0w!");
    await hh.kubectl([
      "create",
      "secret",
      "generic",
      "user",
      `--from-file=${join(files, "username.txt")}`,
    ]);
    await hh.kubectl([
      "create",
      "secret",
      "generic",
      "pass",
      `--from-file=${join(files, "password.txt")}`,
    ]);
    await apply(
      pod("test-projected-volume", {
        containers: [
          {
            name: "test-secret-volume",
            image: "busybox",
            args: ["httpd", "-f", "-p", "8080", "-h", "/projected-volume"],
            volumeMounts: [{ name: "mysql-cred", mountPath: "/projected-volume", readOnly: true }],
          },
        ],
        volumes: [
          {
            name: "mysql-cred",
            projected: { sources: [{ secret: { name: "user" } }, { secret: { name: "pass" } }] },
          },
        ],
      }),
    );
    const p = await runningPod("test-projected-volume");
    const url = `http://${p.status?.podIP}:8080`;
    assert.equal(await until("username", () => httpGet(`${url}/username.txt`)), "admin");
    assert.equal(await httpGet(`${url}/password.txt`), "c1oudc0w!");
    writeFileSync(join(files, "password.txt"), "n3w-pass");
    const yaml = await hh.kubectl([
      "create",
      "secret",
      "generic",
      "pass",
      `--from-file=${join(files, "password.txt")}`,
      "--dry-run=client",
      "-o",
      "yaml",
    ]);
    await hh.kubectl(["apply", "-f", "-"], yaml);
    assert.equal(
      await until(
        "updated in place",
        async () => ((await httpGet(`${url}/password.txt`)) === "n3w-pass" ? "ok" : undefined),
        60_000,
      ),
      "ok",
    );
    assert.equal(
      containerId(p, "test-secret-volume"),
      containerId((await podOf("test-projected-volume")) as Pod, "test-secret-volume"),
      "no restart",
    );
  });

  it("lifecycle-demo: postStart ran; hostAliases are in /etc/hosts; a shared pid namespace shows the pause process", async () => {
    await apply(
      pod("lifecycle-demo", {
        shareProcessNamespace: true,
        hostAliases: [{ ip: "10.1.2.3", hostnames: ["foo.remote", "bar.remote"] }],
        containers: [
          {
            name: "lifecycle-demo-container",
            image: "nginx",
            lifecycle: {
              postStart: {
                exec: {
                  command: [
                    "/bin/sh",
                    "-c",
                    "echo Hello from the postStart handler > /usr/share/message",
                  ],
                },
              },
              preStop: { exec: { command: ["/usr/sbin/nginx", "-s", "quit"] } },
            },
          },
          { name: "shell", image: "busybox", command: ["sleep", "3600"] },
        ],
      }),
    );
    const p = await runningPod("lifecycle-demo");
    await until("both ready", async () =>
      (await podOf("lifecycle-demo"))?.status?.containerStatuses?.every((s) => s.ready),
    );
    const q = (await podOf("lifecycle-demo")) as Pod;
    assert.equal(
      await execIn(q, "lifecycle-demo-container", ["cat", "/usr/share/message"]),
      "Hello from the postStart handler\n",
    );
    const hosts = await execIn(q, "shell", ["cat", "/etc/hosts"]);
    assert.match(
      hosts,
      /# Entries added by HostAliases\.\n10\.1\.2\.3\tfoo\.remote\tbar\.remote\n/,
    );
    assert.match(hosts, new RegExp(`${p.status?.podIP?.replace(/\./g, "\\.")}\\tlifecycle-demo`));
    const ps = await execIn(q, "shell", ["ps", "ax"]);
    assert.match(ps, /catatonit|pause/);
    assert.match(ps, /nginx: master process/);
  });

  it("test-downwardapi-volume: kubectl logs prints the pod's labels; logs -f follows, --previous shows the last run", async () => {
    const hh = h as KubeletHarness;
    await apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: {
        name: "test-downwardapi-volume",
        labels: { zone: "us-est-coast", cluster: "test-cluster1", rack: "rack-22" },
      },
      spec: {
        nodeName: "node-1",
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: "client-container",
            image: "busybox",
            command: ["sh", "-c"],
            args: [
              "while true; do if [ -e /etc/podinfo/labels ]; then echo -en '\\n\\n'; cat /etc/podinfo/labels; fi; sleep 1; done;",
            ],
            volumeMounts: [{ name: "podinfo", mountPath: "/etc/podinfo", readOnly: false }],
          },
        ],
        volumes: [
          {
            name: "podinfo",
            downwardAPI: {
              items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }],
            },
          },
        ],
      },
    });
    await runningPod("test-downwardapi-volume");
    const logs = await until("labels in the log", async () => {
      const out = await hh.kubectl(["logs", "test-downwardapi-volume"]);
      return out.includes('zone="us-est-coast"') ? out : undefined;
    });
    assert.match(logs, /cluster="test-cluster1"\nrack="rack-22"\nzone="us-est-coast"/);
    // The last log line is the labels file's last line, except while the loop is mid-write.
    const tail = await until("the last line", async () => {
      const out = await hh.kubectl(["logs", "test-downwardapi-volume", "--tail=1", "--timestamps"]);
      return out.includes("zone=") ? out : undefined;
    });
    assert.match(tail, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z zone="us-est-coast"\n?$/);
    await apply(
      retryPod(
        "counter",
        "if [ ! -f /state/ran ]; then touch /state/ran; echo first; exit 1; fi; for i in 1 2 3; do echo line-$i; sleep 1; done",
      ),
    );
    await until(
      "second run",
      async () => (await podOf("counter"))?.status?.containerStatuses?.[0]?.restartCount === 1,
      60_000,
    );
    const followed = await hh.kubectl(["logs", "-f", "counter"]);
    assert.equal(followed, "line-1\nline-2\nline-3\n", "follows to the container's end");
    assert.equal(await hh.kubectl(["logs", "counter", "--previous"]), "first\n");
    const missing = await hh.kubectlRaw(["logs", "counter", "-c", "nope"]);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /container nope is not valid for pod counter/);
  });

  it("kubectl exec (with stdin, exit codes, -it on a terminal) and kubectl cp both ways", async () => {
    const hh = h as KubeletHarness;
    await apply(
      pod("shell", { containers: [{ name: "sh", image: "busybox", command: ["sleep", "3600"] }] }),
    );
    await runningPod("shell");
    const r = await hh.kubectlRaw([
      "exec",
      "shell",
      "--",
      "sh",
      "-c",
      "echo out; echo err >&2; exit 3",
    ]);
    assert.equal(r.stdout, "out\n");
    assert.match(r.stderr, /err/);
    assert.equal(r.code, 3, "the command's exit code");
    assert.equal(
      await hh.kubectl(["exec", "-i", "shell", "--", "sh", "-c", "read x; echo got-$x"], "hello\n"),
      "got-hello\n",
    );
    assert.equal(await hh.kubectl(["exec", "shell", "-c", "sh", "--", "hostname"]), "shell\n");

    // -it needs kubectl on a terminal: run it on a pty, type into the shell.
    const term = kubectlOnPty(hh.kubeconfig, ["exec", "-it", "shell", "--", "sh"]);
    try {
      await until(
        "a prompt",
        async () => /[#$] $/.test(`${term.screen().trimEnd()} `) || term.screen().includes("#"),
      );
      await typeUntil(term, "echo $((6*7))", ANSWER);
      // kubectl sends the terminal's size as a resize after the exec starts.
      await typeUntil(term, "stty size", /\n30 100\r?\n/, { everyMs: 1000 });
      term.write("exit 0\r");
      assert.equal(await term.exited, 0);
    } finally {
      term.kill();
    }

    const files = join(dirPath, "cp");
    mkdirSync(files, { recursive: true });
    writeFileSync(join(files, "up.txt"), "from the host\n");
    await hh.kubectl(["cp", join(files, "up.txt"), "shell:/tmp/up.txt"]);
    assert.equal(
      await hh.kubectl(["exec", "shell", "--", "cat", "/tmp/up.txt"]),
      "from the host\n",
    );
    await hh.kubectl(["exec", "shell", "--", "sh", "-c", "echo from the pod > /tmp/down.txt"]);
    await hh.kubectl(["cp", "shell:/tmp/down.txt", join(files, "down.txt")]);
    assert.equal(readFileSync(join(files, "down.txt"), "utf8"), "from the pod\n");
  });

  it("kubectl debug adds an ephemeral container: it runs once, logs and exec reach it, -it attaches", async () => {
    const hh = h as KubeletHarness;
    await apply(
      pod("debuggee", {
        containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"] }],
      }),
    );
    await runningPod("debuggee");
    await hh.kubectl([
      "debug",
      "debuggee",
      "--image=busybox",
      "--container=debugger",
      "--",
      "sh",
      "-c",
      "echo hello-from-debug; sleep 3600",
    ]);
    const jsonpath = (path: string) =>
      hh.kubectl(["get", "pod", "debuggee", "-o", `jsonpath=${path}`]);
    /** Waits until the ephemeral container at `index` has reached `state`. */
    const reached = (index: number, state: "running" | "terminated") => {
      const path = `{.status.ephemeralContainerStatuses[${index}].state.${state}}`;
      return until(path, async () => (await jsonpath(path)) || undefined, 30_000);
    };
    await reached(0, "running");
    assert.equal(await jsonpath("{.status.ephemeralContainerStatuses[0].name}"), "debugger");
    assert.equal(await jsonpath("{.status.containerStatuses[*].name}"), "app");
    assert.match(
      await hh.kubectl(["get", "pod", "debuggee", "--no-headers"]),
      /debuggee\s+1\/1\s+Running\s+0/,
    );
    assert.equal(
      await until("debugger's log", async () => {
        const out = await hh.kubectl(["logs", "debuggee", "-c", "debugger"]);
        return out || undefined;
      }),
      "hello-from-debug\n",
    );
    // It shares the pod's network and UTS namespaces: the pod's hostname.
    assert.equal(
      await hh.kubectl(["exec", "debuggee", "-c", "debugger", "--", "hostname"]),
      "debuggee\n",
    );

    // A second one that exits is not restarted, even when the pod's policy would.
    await hh.kubectl(["debug", "debuggee", "--image=busybox", "--container=once", "--", "true"]);
    await reached(1, "terminated");
    assert.equal(await jsonpath("{.status.ephemeralContainerStatuses[1].restartCount}"), "0");
    assert.equal(await jsonpath("{.status.phase}"), "Running");

    // -it: kubectl waits for the container, then attaches to its terminal.
    const term = kubectlOnPty(hh.kubeconfig, [
      "debug",
      "-it",
      "debuggee",
      "--image=busybox",
      "--container=shell",
      "--",
      "sh",
    ]);
    try {
      await until("kubectl attached", async () => term.screen().includes("command prompt"), 30_000);
      await typeUntil(term, "echo $((6*7))", ANSWER);
      term.write("exit 0\r");
      assert.equal(await term.exited, 0, term.screen());
    } finally {
      term.kill();
    }
    await reached(2, "terminated");
  });

  it("kubectl port-forward reaches nginx in the pod", async () => {
    const hh = h as KubeletHarness;
    await apply(
      pod("web", {
        containers: [{ name: "nginx", image: "nginx:1.7.9", ports: [{ containerPort: 80 }] }],
      }),
    );
    await runningPod("web");
    const local = await freePort();
    const child = spawn("/usr/bin/kubectl", ["port-forward", "pod/web", `${local}:80`], {
      env: { ...process.env, KUBECONFIG: hh.kubeconfig },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    try {
      await until("forwarding", async () => out.includes("Forwarding from"), 20_000);
      const url = `http://127.0.0.1:${local}/`;
      // Each connection is a new relay into the pod; the first may be slow on a loaded machine.
      const first = await until("nginx through the tunnel", () => httpGet(url), 30_000).catch(
        () => `nothing; kubectl said: ${out}`,
      );
      assert.match(first, /Welcome to nginx/);
      assert.match((await httpGet(url)) ?? "nothing the second time", /Welcome to nginx/);
    } finally {
      child.kill("SIGTERM");
    }
  });

  it("preStop runs inside the grace period, before the container is killed", async () => {
    const hh = h as KubeletHarness;
    const marks = join(hostData, "prestop");
    await apply(
      pod("graceful", {
        terminationGracePeriodSeconds: 5,
        volumes: [{ name: "marks", hostPath: { path: marks, type: "DirectoryOrCreate" } }],
        containers: [
          {
            name: "c",
            image: "busybox",
            command: ["sleep", "3600"],
            volumeMounts: [{ name: "marks", mountPath: "/marks" }],
            lifecycle: {
              preStop: { exec: { command: ["sh", "-c", "echo ran > /marks/prestop"] } },
            },
          },
        ],
      }),
    );
    await runningPod("graceful");
    await hh.kubectl(["delete", "pod", "graceful", "--wait=true", "--timeout=60s"]);
    assert.equal(readFileSync(join(marks, "prestop"), "utf8"), "ran\n");
    const events = JSON.parse(
      await hh.kubectl([
        "get",
        "events",
        "--field-selector",
        "involvedObject.name=graceful",
        "-o",
        "json",
      ]),
    ) as { items: { reason: string; message: string }[] };
    assert.ok(
      events.items.some((e) => e.reason === "Killing" && e.message === "Stopping container c"),
    );
  });

  it("restartPolicy Never with a failing command ends Failed; OnFailure restarts until success", async () => {
    await apply(
      pod("never-fail", {
        restartPolicy: "Never",
        containers: [{ name: "c", image: "busybox", command: ["sh", "-c", "exit 3"] }],
      }),
    );
    await apply(
      retryPod("on-failure", "if [ -f /state/ran ]; then exit 0; fi; touch /state/ran; exit 1"),
    );
    await until("never-fail Failed", async () => (await phase("never-fail")) === "Failed", 60_000);
    const nf = await podOf("never-fail");
    assert.equal(nf?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, 3);
    assert.equal(nf?.status?.containerStatuses?.[0]?.restartCount, 0);
    await until(
      "on-failure Succeeded",
      async () => (await phase("on-failure")) === "Succeeded",
      60_000,
    );
    const of = await podOf("on-failure");
    assert.equal(of?.status?.containerStatuses?.[0]?.restartCount, 1);
    assert.equal(of?.status?.containerStatuses?.[0]?.state?.terminated?.reason, "Completed");
  });

  it("a static pod manifest runs as a mirror pod; deleting the file stops it", async () => {
    const hh = h as KubeletHarness;
    const file = join(hh.manifests, "static-web.yaml");
    writeFileSync(
      file,
      "apiVersion: v1\nkind: Pod\nmetadata:\n  name: static-web\nspec:\n  containers:\n  - name: web\n    image: nginx:1.7.9\n",
    );
    const p = await until(
      "static-web-node-1 Running",
      async () => {
        const m = await hh.getPod("static-web-node-1");
        return m?.status?.phase === "Running" && m.status.podIP ? m : undefined;
      },
      60_000,
    );
    assert.match(
      (await until("nginx answers", () => httpGet(`http://${p.status?.podIP}/`))) ?? "",
      /Welcome to nginx/,
    );
    assert.match(
      await hh.kubectl(["get", "pods", "-A", "--no-headers"]),
      /default\s+static-web-node-1\s+1\/1\s+Running/,
    );
    rmSync(file);
    await until(
      "mirror gone",
      async () => (await hh.getPod("static-web-node-1")) === undefined,
      30_000,
    );
    const uid = p.metadata?.annotations?.["kubernetes.io/config.hash"] ?? "";
    await until(
      "containers removed",
      async () =>
        (await k.engine.listContainers({ labelSelector: { "io.kubernetes.pod.uid": uid } }))
          .length === 0,
      30_000,
    );
  });

  it("a missing image gives ErrImagePull then ImagePullBackOff, and other pods are unaffected", async () => {
    await apply(
      pod("no-such-image", { containers: [{ name: "c", image: "k8ts-missing/nothing:1" }] }),
    );
    await until(
      "ErrImagePull or ImagePullBackOff",
      async () => {
        const r = (await podOf("no-such-image"))?.status?.containerStatuses?.[0]?.state?.waiting
          ?.reason;
        return r === "ErrImagePull" || r === "ImagePullBackOff" ? r : undefined;
      },
      60_000,
    );
    await until(
      "ImagePullBackOff",
      async () =>
        (await podOf("no-such-image"))?.status?.containerStatuses?.[0]?.state?.waiting?.reason ===
        "ImagePullBackOff",
      30_000,
    );
    await apply(
      pod("fine", { containers: [{ name: "c", image: "busybox", command: ["sleep", "3600"] }] }),
    );
    await runningPod("fine");
  });

  it("deleting a pod stops it within its grace period and releases its IP", async () => {
    const hh = h as KubeletHarness;
    await apply(
      pod("short-lived", {
        containers: [{ name: "c", image: "busybox", command: ["sleep", "3600"] }],
      }),
    );
    const p = await runningPod("short-lived");
    const started = Date.now();
    await hh.kubectl(["delete", "pod", "short-lived", "--wait=true", "--timeout=60s"]);
    assert.ok(Date.now() - started < 30_000);
    const uid = p.metadata?.uid ?? "";
    await until(
      "sandbox removed",
      async () =>
        (await k.engine.listPodSandbox({ labelSelector: { "io.kubernetes.pod.uid": uid } }))
          .length === 0,
      30_000,
    );
    const ipam = k.ipamDir;
    await until("IP released", async () => {
      try {
        return !readFileSync(join(ipam, p.status?.podIP ?? "x"), "utf8");
      } catch {
        return true;
      }
    });
  });
});
