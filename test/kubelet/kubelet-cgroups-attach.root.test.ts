// Root suite: the kubelet over the runc engine, driven with the real kubectl,
// for what the kernel reports back — OOM kills — and what it enforces:
// pod-level cgroups (kubepods/<qos>/pod<uid>) — and for kubectl attach
// through conmon's attach socket.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { ContainerStatus, Pod } from "kubernetes-types/core/v1.js";
import { cgroupLayout, controllerPaths, parseProcCgroup } from "../../src/runtime/cgroups/index.js";
import { KUBECTL } from "../support/kubectl.js";
import { type EngineKubelet, startEngineKubelet } from "./engine-harness.js";
import { type KubeletHarness, until } from "./harness.js";
import { kubectlOnPty } from "./kubectl-pty.js";

describe("kubelet over the runc engine: OOM kills, pod cgroups, attach", () => {
  let k: EngineKubelet;
  let h: KubeletHarness;

  const pod = (name: string, spec: object) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name },
    spec: { nodeName: "node-1", terminationGracePeriodSeconds: 1, ...spec },
  });
  /** The pod as `kubectl get pod -o json` shows it. */
  const getPod = async (name: string) =>
    JSON.parse(await h.kubectl(["get", "pod", name, "-o", "json"])) as Pod;
  const statusOf = async (name: string): Promise<ContainerStatus | undefined> =>
    (await getPod(name)).status?.containerStatuses?.[0];

  before(async () => {
    k = await startEngineKubelet(3);
    h = k.h;
  });

  after(async () => {
    await k?.stop();
  });

  it("a container the OOM killer ends is terminated with reason OOMKilled and exit code 137", async () => {
    const hog = (restartPolicy: string) => ({
      restartPolicy,
      containers: [
        {
          name: "hog",
          image: "busybox",
          // tail keeps the whole endless "line" of /dev/zero in memory.
          command: ["tail", "/dev/zero"],
          resources: { limits: { memory: "20Mi" } },
        },
      ],
    });
    await k.apply(pod("oom-never", hog("Never")));
    await k.apply(pod("oom-always", hog("Always")));

    const never = await until(
      "oom-never terminated",
      async () => {
        const s = await statusOf("oom-never");
        return s?.state?.terminated ? s : undefined;
      },
      60_000,
    );
    assert.equal(never.state?.terminated?.reason, "OOMKilled", JSON.stringify(never));
    assert.equal(never.state?.terminated?.exitCode, 137);
    assert.equal((await getPod("oom-never")).status?.phase, "Failed");

    const always = await until(
      "oom-always restarted after an OOM kill",
      async () => {
        const s = await statusOf("oom-always");
        return s?.lastState?.terminated ? s : undefined;
      },
      60_000,
    );
    assert.equal(always.lastState?.terminated?.reason, "OOMKilled", JSON.stringify(always));
    assert.equal(always.lastState?.terminated?.exitCode, 137);
    assert.ok((always.restartCount ?? 0) >= 1);
  });

  it("each pod gets a cgroup in its QoS tier with its summed limits; its containers live in it; deletion removes it", async () => {
    const layout = cgroupLayout(readFileSync("/proc/self/mountinfo", "utf8"));
    const unified = layout.mode === "unified";
    const sleeper = (name: string, resources?: object) => ({
      name,
      image: "busybox",
      command: ["sleep", "3600"],
      ...(resources ? { resources } : {}),
    });
    await k.apply(
      pod("burstable", {
        containers: [
          sleeper("a", {
            requests: { cpu: "100m", memory: "32Mi" },
            limits: { cpu: "500m", memory: "64Mi" },
          }),
          sleeper("b", { limits: { cpu: "250m", memory: "32Mi" } }),
        ],
      }),
    );
    await k.apply(
      pod("guaranteed", {
        containers: [sleeper("g", { limits: { cpu: "200m", memory: "48Mi" } })],
      }),
    );
    await k.apply(pod("besteffort", { containers: [sleeper("e")] }));
    const pods = new Map<string, Pod>();
    for (const name of ["burstable", "guaranteed", "besteffort"])
      pods.set(name, await k.runningPod(name));
    const root = k.podCgroups.root;
    const uid = (name: string) => pods.get(name)?.metadata?.uid ?? "";
    const paths = {
      burstable: `${root}/kubepods/burstable/pod${uid("burstable")}`,
      guaranteed: `${root}/kubepods/pod${uid("guaranteed")}`,
      besteffort: `${root}/kubepods/besteffort/pod${uid("besteffort")}`,
    };
    /** A cgroup file, `controller` naming the v1 hierarchy ("" for cgroup v2). */
    const read = (path: string, controller: string, file: string) =>
      readFileSync(
        join((unified ? layout.unified : layout.v1[controller]) ?? "", path, file),
        "utf8",
      ).trim();
    if (unified) {
      assert.equal(read(paths.burstable, "", "cpu.weight"), "14", "358 shares");
      assert.equal(read(paths.burstable, "", "cpu.max"), "75000 100000");
      assert.equal(read(paths.burstable, "", "memory.max"), String(96 * 1024 * 1024));
      assert.equal(read(paths.guaranteed, "", "cpu.max"), "20000 100000");
      assert.equal(read(paths.guaranteed, "", "memory.max"), String(48 * 1024 * 1024));
      assert.equal(read(paths.besteffort, "", "cpu.weight"), "1");
      assert.equal(read(paths.besteffort, "", "memory.max"), "max");
      assert.match(read(`${root}/kubepods`, "", "cgroup.subtree_control"), /\bcpu\b.*\bmemory\b/);
    } else {
      assert.equal(read(paths.burstable, "cpu", "cpu.shares"), "358", "100m + 250m requested");
      assert.equal(read(paths.burstable, "cpu", "cpu.cfs_quota_us"), "75000", "500m + 250m");
      assert.equal(read(paths.burstable, "cpu", "cpu.cfs_period_us"), "100000");
      assert.equal(
        read(paths.burstable, "memory", "memory.limit_in_bytes"),
        String(96 * 1024 * 1024),
      );
      assert.equal(read(paths.guaranteed, "cpu", "cpu.shares"), "204");
      assert.equal(read(paths.guaranteed, "cpu", "cpu.cfs_quota_us"), "20000");
      assert.equal(
        read(paths.guaranteed, "memory", "memory.limit_in_bytes"),
        String(48 * 1024 * 1024),
      );
      assert.equal(read(paths.besteffort, "cpu", "cpu.shares"), "2");
      assert.equal(read(paths.besteffort, "cpu", "cpu.cfs_quota_us"), "-1", "no CPU limit");
      assert.equal(read(`${root}/kubepods/besteffort`, "cpu", "cpu.shares"), "2");
    }

    // Every container, and the pause, runs in a cgroup of its own below its pod's.
    const memory = unified ? "" : "memory";
    for (const [name, path] of Object.entries(paths)) {
      const ids = [
        ...(await k.engine.listContainers({
          labelSelector: { "io.kubernetes.pod.uid": uid(name) },
        })),
        ...(await k.engine.listPodSandbox({
          labelSelector: { "io.kubernetes.pod.uid": uid(name) },
        })),
      ].map((c) => c.id);
      assert.equal(ids.length, name === "burstable" ? 3 : 2);
      for (const id of ids) {
        const { pid } = await k.engine.runc.state(id);
        const own = controllerPaths(parseProcCgroup(readFileSync(`/proc/${pid}/cgroup`, "utf8")));
        assert.equal(own[memory], `${path}/${id}`, `${name}: ${id}`);
      }
    }

    await h.kubectl(["delete", "pod", "burstable", "guaranteed", "besteffort", "--wait=true"]);
    await until(
      "pod cgroups removed from every hierarchy",
      async () =>
        Object.values(paths).every((path) =>
          k.podCgroups.tree.mounts().every((mount) => !existsSync(join(mount, path))),
        ),
      30_000,
    );
    assert.ok(
      existsSync(join(layout.unified ?? layout.v1.memory ?? "", root, "kubepods", "burstable")),
    );
  });

  it("kubectl attach streams a running container's stdout and stderr; detaching leaves it running", async () => {
    await k.apply(
      pod("ticker", {
        containers: [
          {
            name: "c",
            image: "busybox",
            command: [
              "sh",
              "-c",
              "i=0; while true; do echo tick-$i; echo tock-$i >&2; i=$((i+1)); sleep 0.3; done",
            ],
          },
        ],
      }),
    );
    await k.runningPod("ticker");
    const child = spawn(KUBECTL, ["attach", "ticker"], {
      env: { ...process.env, KUBECONFIG: h.kubeconfig },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    try {
      await until("two ticks on stdout, tocks on stderr", async () =>
        /tick-\d+\ntick-\d+\n/.test(out) && /tock-\d+\n/.test(err) ? true : undefined,
      );
      assert.doesNotMatch(out, /tock/, "stderr stays apart from stdout");
    } finally {
      child.kill("SIGTERM");
    }
    await new Promise((resolve) => child.once("close", resolve));
    const c = await statusOf("ticker");
    assert.ok(c?.state?.running, "still running after kubectl went away");
    assert.equal(c?.restartCount, 0);
  });

  it("kubectl attach -i feeds stdin to a stdinOnce container; its end ends the session", async () => {
    await k.apply(
      pod("cat", {
        restartPolicy: "Never",
        containers: [
          { name: "c", image: "busybox", command: ["cat"], stdin: true, stdinOnce: true },
        ],
      }),
    );
    await k.runningPod("cat");
    const r = await h.kubectlRaw(["attach", "-i", "cat"], "hello\nworld\n");
    assert.equal(r.stdout, "hello\nworld\n", r.stderr);
    assert.equal(r.code, 0, r.stderr);
    const done = await until("cat Completed", async () => {
      const s = await statusOf("cat");
      return s?.state?.terminated ? s : undefined;
    });
    assert.equal(done.state?.terminated?.reason, "Completed", "stdin closed, cat ended cleanly");
  });

  it("kubectl run -it attaches a terminal that follows the window's size; --rm deletes the pod after", async () => {
    const term = kubectlOnPty(h.kubeconfig, [
      "run",
      "shell-it",
      "--image=busybox",
      "--restart=Never",
      "--rm",
      "-it",
      `--overrides=${JSON.stringify({ apiVersion: "v1", spec: { nodeName: "node-1" } })}`,
      "--",
      "sh",
    ]);
    try {
      await until("attached", async () => term.screen().includes("try pressing enter"), 60_000);
      /** Asks the shell for its terminal's size until it is `size` (resizes take a moment). */
      const sizeIs = (size: string) =>
        until(
          `stty size ${size}`,
          async () => {
            term.write("stty size\r");
            await sleep(300);
            return term.screen().includes(`${size}\r\n`);
          },
          20_000,
        ).catch((e: Error) => {
          throw new Error(`${e.message}; the screen: ${JSON.stringify(term.screen())}`);
        });
      await sizeIs("30 100");
      term.resize(120, 40);
      await sizeIs("40 120");
      term.write("echo $((6*7))\r");
      await until("the answer", async () => term.screen().includes("42\r\n"));
      term.write("exit 0\r");
      assert.equal(await term.exited, 0, term.screen());
    } finally {
      term.kill();
    }
    assert.match(term.screen(), /pod "shell-it" deleted/);
    await until("shell-it gone", async () => ((await h.getPod("shell-it")) ? undefined : true));
  });
});
