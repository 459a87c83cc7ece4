import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { PodSandboxConfig } from "../../../src/runtime/cri.js";
import {
  ALL_CAPABILITIES,
  buildSandboxSpec,
  DEFAULT_CAPABILITIES,
} from "../../../src/runtime/spec/index.js";

const config: PodSandboxConfig = {
  metadata: { name: "nginx", uid: "5f1c-uid", namespace: "default" },
  hostname: "nginx",
  logDirectory: "/var/log/pods/default_nginx_5f1c-uid",
  linux: {
    cgroupParent: "/kubepods/besteffort/pod5f1c-uid",
    sysctls: { "net.ipv4.ip_unprivileged_port_start": "0" },
    securityContext: { namespaceOptions: { network: "POD", pid: "CONTAINER", ipc: "POD" } },
  },
};

describe("the pod sandbox spec", () => {
  const spec = buildSandboxSpec({
    id: "5a4d",
    config,
    netnsPath: "/var/run/netns/cni-5a4d",
    shmPath: "/var/lib/k8ts/sandboxes/5a4d/shm",
  });

  it("runs catatonit in pause mode on a read-only rootfs", () => {
    assert.deepEqual(spec.process.args, ["/catatonit", "-P"]);
    assert.deepEqual(spec.root, { path: "rootfs", readonly: true });
    assert.equal(spec.process.noNewPrivileges, true);
    assert.deepEqual(spec.process.capabilities.bounding, DEFAULT_CAPABILITIES);
  });

  it("owns new pid, ipc, uts and mount namespaces and joins the CNI netns", () => {
    assert.deepEqual(spec.linux.namespaces, [
      { type: "pid" },
      { type: "network", path: "/var/run/netns/cni-5a4d" },
      { type: "ipc" },
      { type: "uts" },
      { type: "mount" },
    ]);
  });

  it("asks for oom_score_adj -998 unless the engine may not go below its own value", () => {
    assert.equal(spec.process.oomScoreAdj, -998);
    const restricted = buildSandboxSpec({ id: "s", config, minOomScoreAdj: 0, maxNofile: 1024 });
    assert.equal(restricted.process.oomScoreAdj, 0);
    assert.deepEqual(restricted.process.rlimits, [
      { type: "RLIMIT_NOFILE", hard: 1024, soft: 1024 },
    ]);
  });

  it("sets the pod's hostname and sysctls", () => {
    assert.equal(spec.hostname, "nginx");
    assert.deepEqual(spec.linux.sysctl, { "net.ipv4.ip_unprivileged_port_start": "0" });
  });

  it("sits in the pod cgroup with minimal shares and protection from the OOM killer", () => {
    assert.equal(spec.linux.cgroupsPath, "/kubepods/besteffort/pod5f1c-uid/5a4d");
    assert.deepEqual(spec.linux.resources.cpu, { shares: 2 });
    assert.equal(spec.process.oomScoreAdj, -998);
  });

  it("mounts the pod's shared /dev/shm read-only", () => {
    const shm = spec.mounts.find((m) => m.destination === "/dev/shm");
    assert.deepEqual(shm, {
      destination: "/dev/shm",
      type: "bind",
      source: "/var/lib/k8ts/sandboxes/5a4d/shm",
      options: ["rbind", "ro", "nosuid", "nodev", "noexec"],
    });
  });

  it("labels itself as a sandbox", () => {
    assert.equal(spec.annotations?.["io.kubernetes.cri.container-type"], "sandbox");
    assert.equal(
      spec.annotations?.["io.kubernetes.cri.sandbox-log-directory"],
      config.logDirectory,
    );
  });
});

describe("sandbox spec variants", () => {
  const variant = (ns: { network?: "NODE" | "POD"; pid?: "NODE" | "POD"; ipc?: "NODE" | "POD" }) =>
    buildSandboxSpec({
      id: "s",
      config: { ...config, linux: { securityContext: { namespaceOptions: ns } } },
    });
  const table: [string, Parameters<typeof variant>[0], string[]][] = [
    [
      "creates its own network namespace without a CNI netns",
      {},
      ["pid", "network", "ipc", "uts", "mount"],
    ],
    [
      "stays in the host network and UTS namespaces for hostNetwork",
      { network: "NODE" },
      ["pid", "ipc", "mount"],
    ],
    [
      "stays in the host pid namespace for hostPID",
      { pid: "NODE" },
      ["network", "ipc", "uts", "mount"],
    ],
    [
      "stays in the host ipc namespace for hostIPC",
      { ipc: "NODE" },
      ["pid", "network", "uts", "mount"],
    ],
  ];
  for (const [name, ns, want] of table) {
    it(name, () => {
      const spec = variant(ns);
      assert.deepEqual(
        spec.linux.namespaces.map((n) => n.type),
        want,
      );
      assert.ok(spec.linux.namespaces.every((n) => n.path === undefined));
    });
  }

  it("keeps the node's hostname for hostNetwork pods", () => {
    assert.equal(variant({ network: "NODE" }).hostname, undefined);
  });

  it("binds the host's /dev/shm for hostIPC pods", () => {
    const shm = variant({ ipc: "NODE" }).mounts.find((m) => m.destination === "/dev/shm");
    assert.equal(shm?.source, "/dev/shm");
  });

  it("uses a private /dev/shm tmpfs when none is prepared", () => {
    const shm = variant({}).mounts.find((m) => m.destination === "/dev/shm");
    assert.equal(shm?.type, "tmpfs");
  });

  it("accepts another pause command", () => {
    const spec = buildSandboxSpec({ id: "s", config, args: ["/pause"], env: ["FOO=1"] });
    assert.deepEqual(spec.process.args, ["/pause"]);
    assert.ok(spec.process.env.includes("FOO=1"));
  });

  it("gives a privileged sandbox every capability and no masked paths", () => {
    const spec = buildSandboxSpec({
      id: "s",
      config: { ...config, linux: { securityContext: { privileged: true } } },
    });
    assert.deepEqual(spec.process.capabilities.bounding, ALL_CAPABILITIES);
    assert.deepEqual(spec.linux.maskedPaths, []);
  });
});
