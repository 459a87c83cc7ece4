// Root suite: issue #5's must-shows through the real `k8ts run|ps|exec|logs|stop|rm|update|inspect|commit`
// (spawned from source), on runc with a CNI bridge of the suite's own.
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname as hostHostname } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ImageStore, pushImage } from "../../../src/runtime/images/index.js";
import { LocalRuntime } from "../../../src/runtime/local/local-runtime.js";
import { cgroupPathsOf, readCgroupFile } from "../../runtime/cgroup-files.js";
import { storeBusyboxImage } from "../../support/busybox-image.js";
import { nodeArgs, k8ts as spawnSyncK8ts } from "../../support/cli.js";
import { bridgeNetwork, deleteBridge } from "../../support/cni.js";
import { freePort } from "../../support/ports.js";
import { pidsMentioning } from "../../support/processes.js";
import { startRegistry, type TestRegistry } from "../../support/registry.js";
import { tempDir } from "../../support/tmp.js";

const IMAGE = "k8ts.test/busybox:1";

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Polls `check` until it returns a value (not undefined/false) or the deadline passes. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  ms = 30_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

describe("k8ts run and friends (root, runc)", () => {
  const dir = tempDir("cli-run");
  const data = join(dir.path, "data");
  const bridge = `k8tsrt${process.pid % 100000}`;
  const children = new Set<ChildProcess>();
  let registry: TestRegistry | undefined;

  /** `k8ts <command> --data-dir=<suite's> ARGS...`, as a separate process. */
  function start(
    command: string,
    args: readonly string[],
  ): { child: ChildProcess; result: Promise<Run> } {
    const child = spawn(process.execPath, nodeArgs([command, `--data-dir=${data}`, ...args]), {
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.add(child);
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr?.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    // A hung command fails its test instead of the whole suite.
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    const result = new Promise<Run>((resolve) =>
      child.once("close", (status) => {
        clearTimeout(timer);
        children.delete(child);
        resolve({ status, stdout, stderr });
      }),
    );
    Object.defineProperty(result, "stdout", { get: () => stdout });
    return { child, result };
  }
  const k8ts = (command: string, ...args: string[]) => start(command, args).result;
  /** Like k8ts(), failing the test with its stderr unless it exits 0. */
  async function ok(command: string, ...args: string[]): Promise<string> {
    const r = await k8ts(command, ...args);
    assert.equal(r.status, 0, `k8ts ${command} ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  }
  const inspect = async (ref: string) =>
    (JSON.parse(await ok("inspect", ref)) as Record<string, unknown>[])[0] as {
      Id: string;
      PodSandboxId: string;
      State: {
        Status: string;
        Running: boolean;
        OOMKilled: boolean;
        Pid: number;
        ExitCode: number;
        Reason: string;
      };
      NetworkSettings: { IPAddress: string };
    };

  before(async () => {
    const images = await ImageStore.open(join(data, "images"));
    await storeBusyboxImage(images, IMAGE);
    // The suite's own bridge and subnet instead of the default k8ts-run0 / 10.88.0.0/16.
    const netd = join(data, "containers", "net.d");
    mkdirSync(netd, { recursive: true });
    const list = bridgeNetwork({
      name: `k8ts-run-test-${process.pid}`,
      bridge,
      subnet: `10.253.${process.pid % 250}.0/24`,
      ipamDir: join(dir.path, "ipam"),
      extra: [{ type: "portmap", capabilities: { portMappings: true } }],
    });
    writeFileSync(join(netd, "10-test.conflist"), JSON.stringify(list));
  });

  after(async () => {
    for (const child of children) child.kill("SIGKILL");
    await registry?.stop();
    // Everything the suite made goes, even after a failure: sandboxes (processes, netns,
    // mounts, network), then anything still naming the data dir, then the bridge and files.
    const runtime = await LocalRuntime.open({ dataDir: data }).catch(() => undefined);
    for (const s of (await runtime?.engine.listPodSandbox()) ?? [])
      await runtime?.engine.removePodSandbox(s.id).catch(() => {});
    for (const pid of pidsMentioning(data)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone
      }
    }
    for (const line of readFileSync("/proc/mounts", "utf8").split("\n").reverse()) {
      const target = line.split(" ")[1];
      if (target?.startsWith(dir.path)) execFileSync("umount", ["-l", target]);
    }
    deleteBridge(bridge);
    dir.remove();
  });

  it("runs busybox as PID 1 with its own hostname and the init layer's /etc files; --rm leaves nothing", async () => {
    const r = await k8ts(
      "run",
      "--rm",
      IMAGE,
      "sh",
      "-c",
      'echo "pid=$$"; echo "hostname=$(hostname)"; echo "etc-hostname=$(cat /etc/hostname)"; cat /etc/hosts; test -f /etc/resolv.conf && echo resolv-ok; exit 3',
    );
    assert.equal(r.status, 3, `the container's exit code is the CLI's: ${r.stderr}`);
    assert.match(r.stdout, /^pid=1$/m);
    const name = /^hostname=(.+)$/m.exec(r.stdout)?.[1];
    assert.ok(name && name !== hostHostname(), `its own hostname, not the host's: ${r.stdout}`);
    assert.match(r.stdout, new RegExp(`^etc-hostname=${name}$`, "m"));
    assert.match(r.stdout, /Kubernetes-managed hosts file/);
    assert.match(
      r.stdout,
      new RegExp(`^10\\.253\\.\\d+\\.\\d+\\t${name}$`, "m"),
      "its pod IP in /etc/hosts",
    );
    assert.match(r.stdout, /^resolv-ok$/m);
    assert.equal((await ok("ps", "-a", "-q")).trim(), "", "--rm removed it");
  });

  it("keeps a mount made inside the container out of the host's mount table", async () => {
    await ok("run", "-d", "--privileged", "--name", "mounter", IMAGE, "sh", "-c", "sleep 1000");
    const marker = `k8ts-inside-${process.pid}`;
    const inside = await ok(
      "exec",
      "mounter",
      "sh",
      "-c",
      `mkdir /${marker} && mount -t tmpfs ${marker} /${marker} && cat /proc/mounts`,
    );
    assert.match(
      inside,
      new RegExp(`^${marker} /${marker} tmpfs`, "m"),
      "the container sees its mount",
    );
    assert.ok(!readFileSync("/proc/self/mountinfo", "utf8").includes(marker), "the host does not");
    await ok("rm", "-f", "mounter");
  });

  it("reports OOMKilled when a process outgrows -m 32m", async () => {
    const r = await k8ts("run", "--name", "hog", "-m", "32m", IMAGE, "sh", "-c", "tail /dev/zero");
    assert.equal(r.status, 137, r.stderr);
    const view = await inspect("hog");
    assert.deepEqual(
      [view.State.Status, view.State.OOMKilled, view.State.Reason, view.State.ExitCode],
      ["exited", true, "OOMKilled", 137],
    );
    await ok("rm", "hog");
  });

  it("holds a busy loop near 20% of one core with --cpus 0.2 (cgroup CPU usage)", async () => {
    const id = (
      await ok(
        "run",
        "-d",
        "--name",
        "spin",
        "--cpus",
        "0.2",
        IMAGE,
        "sh",
        "-c",
        "while :; do :; done",
      )
    ).trim();
    const runtime = await LocalRuntime.open({ dataDir: data });
    const usage = async () => {
      const stats = await runtime.engine.containerStats(id);
      return { cpu: stats.cpu?.usageCoreNanoSeconds?.value ?? 0n, at: process.hrtime.bigint() };
    };
    await sleep(500);
    const a = await usage();
    await sleep(4000);
    const b = await usage();
    const share = Number(b.cpu - a.cpu) / Number(b.at - a.at);
    console.log(
      `# --cpus 0.2: the busy loop used ${(share * 100).toFixed(1)}% of one core over ${Number(b.at - a.at) / 1e9} s`,
    );
    assert.ok(share > 0.08 && share < 0.35, `used ${(share * 100).toFixed(1)}% of one core`);
    await ok("rm", "-f", "spin");
  });

  it("stops a fork bomb at --pids-limit 20 and the container lives on", async () => {
    await ok("run", "-d", "--name", "pids", "--pids-limit", "20", IMAGE, "sh", "-c", "sleep 1000");
    const bomb = await k8ts(
      "exec",
      "pids",
      "sh",
      "-c",
      // The children let go of the exec's pipes, or it would wait for them to close.
      "i=0; while [ $i -lt 100 ]; do sleep 1000 >/dev/null 2>&1 & i=$((i+1)); done",
    );
    assert.notEqual(bomb.status, 0, "the forks failed");
    assert.match(bomb.stderr, /can't fork|Resource temporarily unavailable/);
    const view = await inspect("pids");
    assert.equal(view.State.Running, true, "the container still runs");
    const current = Number(
      readCgroupFile(cgroupPathsOf(view.State.Pid), {
        v1: "pids/pids.current",
        v2: "pids.current",
      }),
    );
    assert.ok(current <= 20 && current >= 10, `pids.current is ${current}`);
    assert.match(await ok("ps"), /\bpids$/m);
    await ok("rm", "-f", "pids");
  });

  it("commits the writable layer, not the init layer's files, and runs the new image", async () => {
    await ok(
      "run",
      "-d",
      "--name",
      "writer",
      IMAGE,
      "sh",
      "-c",
      "echo hello > /committed.txt; echo changed > /etc/hostname; sleep 1000",
    );
    await until(
      "the file written",
      async () =>
        (await k8ts("exec", "writer", "sh", "-c", "cat /committed.txt")).stdout === "hello\n",
    );
    const digest = (await ok("commit", "writer", "k8ts.test/committed:1")).trim();
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    // Frozen while its layer was read, thawed after: it still answers.
    const thawed = await k8ts("exec", "writer", "sh", "-c", "echo thawed");
    assert.equal(thawed.stdout, "thawed\n", thawed.stderr);
    const unpaused = (await ok("commit", "--no-pause", "writer", "k8ts.test/committed:2")).trim();
    assert.match(unpaused, /^sha256:[0-9a-f]{64}$/);
    await ok("rm", "-f", "writer");
    const r = await k8ts(
      "run",
      "--rm",
      "k8ts.test/committed:1",
      "sh",
      "-c",
      "cat /committed.txt; cat /etc/hostname",
    );
    assert.equal(r.status, 0, r.stderr);
    const [file, hostname] = r.stdout.split("\n");
    assert.equal(file, "hello");
    assert.ok(
      hostname && hostname !== "changed",
      `its own /etc/hostname from the init layer, got ${hostname}`,
    );
  });

  it("publishes a port: -p hostPort reaches busybox httpd", async () => {
    const port = await freePort();
    await ok(
      "run",
      "-d",
      "--name",
      "web",
      "-p",
      `${port}:80`,
      IMAGE,
      "sh",
      "-c",
      "mkdir /www && echo hello-from-httpd > /www/index.html && exec busybox httpd -f -p 80 -h /www",
    );
    const body = await until("httpd through the host port", async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2000) });
        return res.ok ? await res.text() : undefined;
      } catch {
        return undefined;
      }
    });
    assert.equal(body, "hello-from-httpd\n");
    assert.match(await ok("ps"), new RegExp(`0\\.0\\.0\\.0:${port}->80/tcp\\s+web`));
    await ok("rm", "-f", "web");
  });

  it("stop ends the container and its network; rm leaves no mounts, netns, processes or state", async () => {
    const id = (
      await ok(
        "run",
        "-d",
        "--name",
        "victim",
        IMAGE,
        "sh",
        "-c",
        "trap 'exit 0' TERM; while :; do sleep 0.1; done",
      )
    ).trim();
    const { PodSandboxId: sandbox } = await inspect("victim");
    const netns = `k8ts-run-${sandbox.slice(0, 24)}`;
    assert.ok(readdirSync("/var/run/netns").includes(netns));
    await ok("stop", "-t", "5", "victim");
    assert.match(await ok("ps", "-a"), /Exited \(0\)[^\n]*victim/);
    assert.ok(!readdirSync("/var/run/netns").includes(netns), "the netns is gone");
    await ok("rm", id.slice(0, 8));
    assert.ok(!(await ok("ps", "-a", "-q")).includes(id.slice(0, 12)), "no longer listed");
    assert.ok(!readFileSync("/proc/mounts", "utf8").includes(id), "no mount of its rootfs");
    assert.deepEqual(pidsMentioning(id), [], "no conmon or process left");
    assert.deepEqual(pidsMentioning(sandbox), [], "no pause left");
    for (const [sub, name] of [
      ["containers", id],
      ["sandboxes", sandbox],
      ["records/containers", `${id}.json`],
      ["records/sandboxes", `${sandbox}.json`],
      ["exits", id],
    ] as const)
      assert.ok(
        !readdirSync(join(data, "containers", sub)).includes(name),
        `nothing left in ${sub}`,
      );
  });

  it("-d --rm: the container is removed once it exits, by its monitor, with nothing left", async () => {
    const id = (
      await ok(
        "run",
        "-d",
        "--rm",
        "--name",
        "ephemeral",
        IMAGE,
        "sh",
        "-c",
        "until [ -e /go ]; do sleep 0.1; done",
      )
    ).trim();
    const { PodSandboxId: sandbox } = await inspect("ephemeral");
    await ok("exec", "ephemeral", "sh", "-c", "touch /go");
    await until(
      "the exited container removed",
      async () => !(await ok("ps", "-a", "-q")).includes(id.slice(0, 12)),
    );
    assert.deepEqual(pidsMentioning(id), [], "no conmon or process left");
    assert.deepEqual(pidsMentioning(sandbox), [], "no pause left");
    assert.ok(!readFileSync("/proc/mounts", "utf8").includes(id), "no mount of its rootfs");
    assert.ok(!readdirSync(join(data, "containers", "records/containers")).includes(`${id}.json`));
    assert.ok(!readdirSync("/var/run/netns").includes(`k8ts-run-${sandbox.slice(0, 24)}`));

    // Stopped by hand, it goes too (docker's --rm: removed whenever it ends).
    const second = (
      await ok(
        "run",
        "-d",
        "--rm",
        "--name",
        "ephemeral",
        IMAGE,
        "sh",
        "-c",
        "trap 'exit 0' TERM; while :; do sleep 0.1; done",
      )
    ).trim();
    // The exit command names the sandbox it was made for: a later run that took the
    // name is not its to remove.
    await ok("rm", "-f", "--if-sandbox=another", "ephemeral");
    assert.ok((await ok("ps", "-q")).includes(second.slice(0, 12)), "still running");
    await ok("stop", "-t", "5", "ephemeral");
    await until(
      "the stopped container removed",
      async () => !(await ok("ps", "-a", "-q")).includes(second.slice(0, 12)),
    );
  });

  it("a killed k8ts leaves its container running: ps lists it, its log goes on, exec works", async () => {
    const run = start("run", [
      "--name",
      "survivor",
      IMAGE,
      "sh",
      "-c",
      "i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.2; done",
    ]);
    const seen = run.result as Promise<Run> & { stdout: string };
    await until("output in the foreground", async () => seen.stdout.includes("tick 2"));
    run.child.kill("SIGKILL");
    await run.result;
    assert.match(await ok("ps"), /Up [^\n]*survivor/);
    const lines = async () =>
      (await ok("logs", "survivor")).split("\n").filter((l) => l.startsWith("tick")).length;
    const before = await lines();
    await until("more log lines", async () => (await lines()) > before + 2);
    assert.equal(await ok("exec", "survivor", "sh", "-c", "echo still here"), "still here\n");
    await ok("rm", "-f", "survivor");
  });

  it("gives -t a terminal", async () => {
    const r = await k8ts("run", "--rm", "-t", IMAGE, "sh", "-c", "test -t 1 && echo on-a-tty");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /on-a-tty\r?\n/);
  });

  it("removes records a killed engine left half-made once they are old", async () => {
    const records = join(data, "containers", "records");
    const old = (BigInt(Date.now() - 3_600_000) * 1_000_000n).toString();
    const sandboxId = "ab".repeat(32);
    mkdirSync(join(records, "sandboxes"), { recursive: true });
    writeFileSync(
      join(records, "sandboxes", `${sandboxId}.json`),
      JSON.stringify({
        id: sandboxId,
        config: { metadata: { name: "x", uid: "u", namespace: "k8ts-run" } },
        createdAt: old,
      }),
    );
    const orphanId = "cd".repeat(32);
    writeFileSync(
      join(records, "containers", `${orphanId}.json`),
      JSON.stringify({
        id: orphanId,
        podSandboxId: "ef".repeat(32),
        config: { metadata: { name: "y" }, image: { image: IMAGE } },
        imageId: "",
        imageRef: "",
        logPath: join(dir.path, "nowhere.log"),
        createdAt: old,
        startedAt: "0",
        finishedAt: "0",
      }),
    );
    await ok("ps", "-a");
    assert.ok(
      !readdirSync(join(records, "sandboxes")).includes(`${sandboxId}.json`),
      "the half-made sandbox went",
    );
    assert.ok(
      !readdirSync(join(records, "containers")).includes(`${orphanId}.json`),
      "the orphaned container went",
    );
  });

  it("pulls a missing image through a docker.io mirror; a committed image pushes and pulls back", async () => {
    registry = await startRegistry();
    const seed = await ImageStore.open(join(dir.path, "seed"));
    await storeBusyboxImage(seed, IMAGE);
    await pushImage(seed, IMAGE, { target: `${registry.address}/library/busybox:latest` });
    const mirror = join(dir.path, "registries.yaml");
    writeFileSync(
      mirror,
      `mirrors:\n  docker.io:\n    endpoint:\n      - "http://${registry.address}"\n`,
    );
    const pulled = await k8ts(
      "run",
      "--rm",
      "--registries",
      mirror,
      "busybox",
      "sh",
      "-c",
      "echo pulled",
    );
    assert.equal(pulled.status, 0, pulled.stderr);
    assert.equal(pulled.stdout, "pulled\n");

    const remote = `${registry.address}/test/committed:1`;
    await ok(
      "run",
      "-d",
      "--name",
      "base",
      "busybox",
      "sh",
      "-c",
      "echo round-trip > /file; sleep 1000",
    );
    await until(
      "the file written",
      async () => (await k8ts("exec", "base", "sh", "-c", "cat /file")).stdout === "round-trip\n",
    );
    await ok("commit", "base", remote);
    await ok("rm", "-f", "base");
    const pushed = spawnSyncK8ts("image", `--data-dir=${data}`, "push", remote);
    assert.equal(pushed.status, 0, pushed.stderr);
    assert.equal(spawnSyncK8ts("image", `--data-dir=${data}`, "rm", remote).status, 0);
    const back = await k8ts("run", "--rm", remote, "sh", "-c", "cat /file");
    assert.equal(back.status, 0, back.stderr);
    assert.equal(back.stdout, "round-trip\n", "pulled back from the registry");
  });

  it("refuses bad flags with a clear error", async () => {
    const r = await k8ts("run", "-m", "1k", IMAGE);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /minimum memory limit/);
    const notFound = await k8ts("run", "--rm", IMAGE, "/no/such/command");
    assert.equal(notFound.status, 127, "docker's code for a command that does not exist");
    assert.match(notFound.stderr, /no such file or directory/);
    const missing = await k8ts("exec", "no-such-container", "true");
    assert.match(missing.stderr, /no such container: no-such-container/);
  });

  it("update changes a running container's limits: its cgroup and inspect show the new ones", async () => {
    await ok("run", "-d", "--name", "resized", "-m", "64m", IMAGE, "sh", "-c", "sleep 1000");
    assert.equal(
      (await ok("update", "-m", "128m", "--cpus", "0.5", "--pids-limit", "30", "resized")).trim(),
      "resized",
    );
    const view = (JSON.parse(await ok("inspect", "resized")) as Record<string, unknown>[])[0] as {
      State: { Pid: number; Running: boolean };
      HostConfig: { Memory: number; NanoCpus: number; PidsLimit: number };
    };
    assert.equal(view.State.Running, true);
    assert.deepEqual(
      [view.HostConfig.Memory, view.HostConfig.NanoCpus, view.HostConfig.PidsLimit],
      [128 * 1024 * 1024, 500_000_000, 30],
    );
    const memory = readCgroupFile(cgroupPathsOf(view.State.Pid), {
      v1: "memory/memory.limit_in_bytes",
      v2: "memory.max",
    });
    assert.equal(memory, String(128 * 1024 * 1024));
    const none = await k8ts("update", "resized");
    assert.equal(none.status, 1);
    assert.match(none.stderr, /give at least one of --cpus, --memory/);
    await ok("rm", "-f", "resized");
  });
});
