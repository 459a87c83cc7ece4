import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ContainerConfig, PodSandboxConfig } from "../../../src/runtime/cri.js";
import {
  ALL_CAPABILITIES,
  buildContainerSpec,
  type ContainerSpecOptions,
  DEFAULT_CAPABILITIES,
  DEFAULT_MASKED_PATHS,
  NamespaceOptionError,
  PrivilegedNotAllowedError,
  SpecError,
} from "../../../src/runtime/spec/index.js";

// The notes' pod: `kind: Pod, metadata.name: nginx, image: nginx:1.7.9, containerPort: 80`,
// as the kubelet turns it into CRI requests (BestEffort, service account token mounted).
const sandboxConfig: PodSandboxConfig = {
  metadata: { name: "nginx", uid: "5f1c-uid", namespace: "default", attempt: 0 },
  hostname: "nginx",
  logDirectory: "/var/log/pods/default_nginx_5f1c-uid",
  dnsConfig: {
    servers: ["10.43.0.10"],
    searches: ["default.svc.cluster.local"],
    options: ["ndots:5"],
  },
  portMappings: [{ protocol: "TCP", containerPort: 80 }],
  labels: { "io.kubernetes.pod.name": "nginx" },
  linux: {
    cgroupParent: "/kubepods/besteffort/pod5f1c-uid",
    securityContext: { namespaceOptions: { network: "POD", pid: "CONTAINER", ipc: "POD" } },
  },
};

const nginx: ContainerConfig = {
  metadata: { name: "nginx", attempt: 0 },
  image: { image: "sha256:84581e99d807", userSpecifiedImage: "nginx:1.7.9" },
  envs: [
    { key: "KUBERNETES_SERVICE_HOST", value: "10.43.0.1" },
    { key: "KUBERNETES_SERVICE_PORT", value: "443" },
  ],
  mounts: [
    {
      containerPath: "/var/run/secrets/kubernetes.io/serviceaccount",
      hostPath: "/var/lib/k8ts/pods/5f1c-uid/volumes/kubernetes.io~projected/kube-api-access",
      readonly: true,
    },
    { containerPath: "/etc/hosts", hostPath: "/var/lib/k8ts/pods/5f1c-uid/etc-hosts" },
    {
      containerPath: "/dev/termination-log",
      hostPath: "/var/lib/k8ts/pods/5f1c-uid/containers/nginx/0a1b",
    },
  ],
  logPath: "nginx/0.log",
  linux: {
    resources: { cpuShares: 2, cpuPeriod: 100000, oomScoreAdj: 1000 },
    securityContext: {
      namespaceOptions: { network: "POD", pid: "CONTAINER", ipc: "POD" },
      runAsUser: { value: 0 },
      maskedPaths: [...DEFAULT_MASKED_PATHS],
      readonlyPaths: ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"],
    },
  },
};

const options: ContainerSpecOptions = {
  id: "c0ffee",
  config: nginx,
  sandbox: {
    id: "5a4d",
    config: sandboxConfig,
    pid: 4242,
    hostnamePath: "/var/lib/k8ts/sandboxes/5a4d/hostname",
    resolvConfPath: "/var/lib/k8ts/sandboxes/5a4d/resolv.conf",
    shmPath: "/var/lib/k8ts/sandboxes/5a4d/shm",
  },
  // nginx:1.7.9's image config.
  image: {
    cmd: ["nginx", "-g", "daemon off;"],
    env: [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "NGINX_VERSION=1.7.9-1~wheezy",
    ],
  },
};

describe("the notes' nginx container spec", () => {
  const spec = buildContainerSpec(options);

  it("runs the image's Cmd as root in /", () => {
    assert.deepEqual(spec.process.args, ["nginx", "-g", "daemon off;"]);
    assert.deepEqual(spec.process.user, { uid: 0, gid: 0, additionalGids: [0] });
    assert.equal(spec.process.cwd, "/");
    assert.equal(spec.process.terminal, undefined);
  });

  it("sets PATH, HOSTNAME, the image env and then the pod env", () => {
    assert.deepEqual(spec.process.env, [
      "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "HOSTNAME=nginx",
      "NGINX_VERSION=1.7.9-1~wheezy",
      "KUBERNETES_SERVICE_HOST=10.43.0.1",
      "KUBERNETES_SERVICE_PORT=443",
    ]);
  });

  it("gives containerd's default capabilities and no inheritable or ambient ones", () => {
    const caps = spec.process.capabilities;
    assert.deepEqual(caps.bounding, DEFAULT_CAPABILITIES);
    assert.deepEqual(caps.effective, DEFAULT_CAPABILITIES);
    assert.deepEqual(caps.permitted, DEFAULT_CAPABILITIES);
    assert.deepEqual(caps.inheritable, []);
    assert.deepEqual(caps.ambient, []);
  });

  it("raises the open files limit and keeps privilege escalation possible", () => {
    assert.deepEqual(spec.process.rlimits, [
      { type: "RLIMIT_NOFILE", hard: 1048576, soft: 1048576 },
    ]);
    assert.equal(spec.process.noNewPrivileges, false);
    assert.equal(spec.process.oomScoreAdj, 1000);
  });

  it("uses a writable rootfs in the bundle", () => {
    assert.deepEqual(spec.root, { path: "rootfs", readonly: false });
    assert.equal(spec.hostname, undefined, "the sandbox's UTS namespace carries the hostname");
  });

  it("mounts the system filesystems, then the pod's mounts by depth", () => {
    assert.deepEqual(
      spec.mounts.map((m) => [m.destination, m.type]),
      [
        ["/proc", "proc"],
        ["/dev", "tmpfs"],
        ["/dev/pts", "devpts"],
        ["/dev/mqueue", "mqueue"],
        ["/sys", "sysfs"],
        ["/sys/fs/cgroup", "cgroup"],
        ["/etc/hosts", "bind"],
        ["/dev/termination-log", "bind"],
        ["/etc/hostname", "bind"],
        ["/etc/resolv.conf", "bind"],
        ["/dev/shm", "bind"],
        ["/var/run/secrets/kubernetes.io/serviceaccount", "bind"],
      ],
    );
    const byPath = new Map(spec.mounts.map((m) => [m.destination, m]));
    assert.deepEqual(byPath.get("/sys")?.options, ["nosuid", "noexec", "nodev", "ro"]);
    assert.deepEqual(byPath.get("/sys/fs/cgroup")?.options, [
      "nosuid",
      "noexec",
      "nodev",
      "relatime",
      "ro",
    ]);
    assert.deepEqual(byPath.get("/dev/shm"), {
      destination: "/dev/shm",
      type: "bind",
      source: "/var/lib/k8ts/sandboxes/5a4d/shm",
      options: ["rbind", "rprivate", "rw"],
    });
    assert.deepEqual(byPath.get("/var/run/secrets/kubernetes.io/serviceaccount")?.options, [
      "rbind",
      "rprivate",
      "ro",
    ]);
  });

  it("joins the sandbox's network, uts and ipc namespaces with a pid namespace of its own", () => {
    assert.deepEqual(spec.linux.namespaces, [
      { type: "pid" },
      { type: "network", path: "/proc/4242/ns/net" },
      { type: "uts", path: "/proc/4242/ns/uts" },
      { type: "ipc", path: "/proc/4242/ns/ipc" },
      { type: "mount" },
    ]);
  });

  it("puts the container in its pod's cgroup with BestEffort cpu settings", () => {
    assert.equal(spec.linux.cgroupsPath, "/kubepods/besteffort/pod5f1c-uid/c0ffee");
    assert.deepEqual(spec.linux.resources.cpu, { shares: 2, period: 100000 });
    assert.equal(spec.linux.resources.memory, undefined);
  });

  it("denies all devices, then allows the standard ones", () => {
    const devices = spec.linux.resources.devices ?? [];
    assert.deepEqual(devices[0], { allow: false, access: "rwm" });
    assert.deepEqual(devices[1], { allow: true, type: "c", access: "m" });
    assert.ok(
      devices.some((d) => d.allow && d.major === 1 && d.minor === 3),
      "/dev/null",
    );
    assert.ok(
      devices.some((d) => d.allow && d.major === 136 && d.minor === undefined),
      "/dev/pts/*",
    );
  });

  it("masks and write-protects the kernel's sensitive paths", () => {
    assert.deepEqual(spec.linux.maskedPaths, DEFAULT_MASKED_PATHS);
    assert.deepEqual(spec.linux.readonlyPaths, [
      "/proc/bus",
      "/proc/fs",
      "/proc/irq",
      "/proc/sys",
      "/proc/sysrq-trigger",
    ]);
    assert.equal(spec.linux.rootfsPropagation, undefined);
  });

  it("carries the CRI annotations", () => {
    assert.equal(spec.annotations?.["io.kubernetes.cri.container-type"], "container");
    assert.equal(spec.annotations?.["io.kubernetes.cri.sandbox-id"], "5a4d");
    assert.equal(spec.annotations?.["io.kubernetes.cri.image-name"], "nginx:1.7.9");
  });

  it("is plain JSON", () => {
    assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec);
  });
});

describe("container spec variants", () => {
  const withConfig = (patch: Partial<ContainerConfig>, extra: Partial<ContainerSpecOptions> = {}) =>
    buildContainerSpec({ ...options, ...extra, config: { ...nginx, ...patch } });
  const sc = (s: NonNullable<NonNullable<ContainerConfig["linux"]>["securityContext"]>) => ({
    linux: { securityContext: s },
  });

  it("runs command and args instead of the image's", () => {
    const spec = withConfig({ command: ["/bin/sh", "-c"], args: ["echo hi"] });
    assert.deepEqual(spec.process.args, ["/bin/sh", "-c", "echo hi"]);
  });

  it("takes the working directory from the pod, then the image", () => {
    assert.equal(withConfig({ workingDir: "/srv" }).process.cwd, "/srv");
    assert.equal(
      buildContainerSpec({ ...options, image: { cmd: ["x"], workingDir: "/app" } }).process.cwd,
      "/app",
    );
  });

  it("adds and drops capabilities", () => {
    const spec = withConfig(
      sc({
        capabilities: { addCapabilities: ["NET_ADMIN"], dropCapabilities: ["chown", "CAP_KILL"] },
      }),
    );
    assert.ok(spec.process.capabilities.effective.includes("CAP_NET_ADMIN"));
    assert.ok(!spec.process.capabilities.bounding.includes("CAP_CHOWN"));
    assert.ok(!spec.process.capabilities.permitted.includes("CAP_KILL"));
  });

  it("drops all capabilities and adds back one", () => {
    const spec = withConfig(
      sc({ capabilities: { addCapabilities: ["NET_BIND_SERVICE"], dropCapabilities: ["ALL"] } }),
    );
    assert.deepEqual(spec.process.capabilities.bounding, ["CAP_NET_BIND_SERVICE"]);
  });

  it("grants every capability for add ALL", () => {
    const spec = withConfig(
      sc({ capabilities: { addCapabilities: ["ALL"], dropCapabilities: ["SYS_ADMIN"] } }),
    );
    assert.equal(spec.process.capabilities.bounding.length, ALL_CAPABILITIES.length - 1);
  });

  it("runs as the requested user and groups with no new privileges and a read-only rootfs", () => {
    const spec = withConfig(
      sc({
        runAsUser: { value: 101 },
        runAsGroup: { value: 102 },
        supplementalGroups: [2000],
        noNewPrivs: true,
        readonlyRootfs: true,
      }),
    );
    assert.deepEqual(spec.process.user, { uid: 101, gid: 102, additionalGids: [102, 2000] });
    assert.equal(spec.process.noNewPrivileges, true);
    assert.equal(spec.root.readonly, true);
    const hostname = spec.mounts.find((m) => m.destination === "/etc/hostname");
    assert.deepEqual(hostname?.options, ["rbind", "rprivate", "ro"]);
  });

  it("takes a numeric image USER and insists on resolving a named one", () => {
    const noRunAs = { ...nginx, linux: {} };
    const numeric = buildContainerSpec({
      ...options,
      config: noRunAs,
      image: { cmd: ["x"], user: "101:102" },
    });
    assert.deepEqual(numeric.process.user, { uid: 101, gid: 102, additionalGids: [102] });
    assert.throws(
      () =>
        buildContainerSpec({ ...options, config: noRunAs, image: { cmd: ["x"], user: "nginx" } }),
      SpecError,
    );
    assert.throws(() => withConfig(sc({ runAsUsername: "nginx" })), SpecError);
    const resolved = buildContainerSpec({
      ...options,
      image: { cmd: ["x"], user: "nginx" },
      user: { uid: 101, gid: 101, additionalGids: [101] },
    });
    assert.deepEqual(resolved.process.user, { uid: 101, gid: 101, additionalGids: [101] });
  });

  it("opens a terminal for tty containers", () => {
    assert.equal(withConfig({ tty: true, stdin: true }).process.terminal, true);
  });

  it("shares the pod's pid namespace with shareProcessNamespace", () => {
    const spec = withConfig(sc({ namespaceOptions: { pid: "POD" } }));
    assert.deepEqual(spec.linux.namespaces[0], { type: "pid", path: "/proc/4242/ns/pid" });
  });

  it("joins a target container's pid namespace", () => {
    const spec = withConfig(sc({ namespaceOptions: { pid: "TARGET", targetId: "t1" } }), {
      targetPid: 77,
    });
    assert.deepEqual(spec.linux.namespaces[0], { type: "pid", path: "/proc/77/ns/pid" });
    assert.throws(
      () => withConfig(sc({ namespaceOptions: { pid: "TARGET", targetId: "t1" } })),
      NamespaceOptionError,
    );
  });

  it("stays in the host's namespaces for hostNetwork, hostPID and hostIPC", () => {
    const spec = withConfig(
      sc({ namespaceOptions: { network: "NODE", pid: "NODE", ipc: "NODE" } }),
    );
    assert.deepEqual(spec.linux.namespaces, [{ type: "mount" }]);
    const shm = spec.mounts.find((m) => m.destination === "/dev/shm");
    assert.equal(shm?.source, "/dev/shm");
  });

  it("joins a bind-mounted network namespace by path", () => {
    const spec = buildContainerSpec({
      ...options,
      sandbox: { ...options.sandbox, netnsPath: "/var/run/netns/cni-1" },
    });
    assert.deepEqual(spec.linux.namespaces[1], { type: "network", path: "/var/run/netns/cni-1" });
  });

  it("gets a cgroup namespace on cgroup v2 hosts", () => {
    const spec = buildContainerSpec({ ...options, cgroupV2: true });
    assert.deepEqual(spec.linux.namespaces.at(-1), { type: "cgroup" });
  });

  it("sets memory, swap and cpu limits from the CRI resources", () => {
    const spec = withConfig(
      {
        linux: {
          resources: {
            cpuShares: 102,
            cpuQuota: 10000,
            cpuPeriod: 100000,
            memoryLimitInBytes: 33554432,
            oomScoreAdj: -997,
          },
        },
      },
      { pidsLimit: 100 },
    );
    assert.deepEqual(spec.linux.resources.cpu, { shares: 102, quota: 10000, period: 100000 });
    assert.deepEqual(spec.linux.resources.memory, { limit: 33554432, swap: 33554432 });
    assert.deepEqual(spec.linux.resources.pids, { limit: 100 });
    assert.equal(spec.process.oomScoreAdj, -997);
  });

  it("keeps oom_score_adj and the open-files limit within what a restricted engine may set", () => {
    const spec = withConfig(
      { linux: { resources: { oomScoreAdj: -997 } } },
      { minOomScoreAdj: 0, maxNofile: 20000 },
    );
    assert.equal(spec.process.oomScoreAdj, 0, "raised to the engine's own value");
    assert.deepEqual(spec.process.rlimits, [{ type: "RLIMIT_NOFILE", hard: 20000, soft: 20000 }]);
    const besteffort = withConfig(
      { linux: { resources: { oomScoreAdj: 1000 } } },
      { minOomScoreAdj: 0, maxNofile: 4_000_000 },
    );
    assert.equal(besteffort.process.oomScoreAdj, 1000, "a higher value is allowed as is");
    assert.equal(
      besteffort.process.rlimits?.[0]?.hard,
      1048576,
      "the default when the host allows more",
    );
  });

  it("translates mount propagation and raises the rootfs propagation", () => {
    const spec = withConfig({
      mounts: [
        { containerPath: "/a", hostPath: "/h/a", propagation: "PROPAGATION_HOST_TO_CONTAINER" },
        { containerPath: "/b", hostPath: "/h/b", propagation: "PROPAGATION_BIDIRECTIONAL" },
      ],
    });
    const opts = new Map(spec.mounts.map((m) => [m.destination, m.options]));
    assert.deepEqual(opts.get("/a"), ["rbind", "rslave", "rw"]);
    assert.deepEqual(opts.get("/b"), ["rbind", "rshared", "rw"]);
    assert.equal(spec.linux.rootfsPropagation, "rshared");
  });

  it("lets a pod mount replace a system mount and everything under a mounted /dev", () => {
    const spec = withConfig({ mounts: [{ containerPath: "/dev", hostPath: "/dev" }] });
    const dests = spec.mounts.map((m) => m.destination);
    assert.ok(!dests.includes("/dev/pts") && !dests.includes("/dev/mqueue"));
    assert.equal(dests.filter((d) => d === "/dev").length, 1);
  });

  it("keeps a pod mount over the sandbox's resolv.conf", () => {
    const spec = withConfig({ mounts: [{ containerPath: "/etc/resolv.conf", hostPath: "/mine" }] });
    const resolv = spec.mounts.filter((m) => m.destination === "/etc/resolv.conf");
    assert.deepEqual(
      resolv.map((m) => m.source),
      ["/mine"],
    );
  });

  it("uses a private /dev/shm when the sandbox has none", () => {
    const { shmPath: _, ...sandbox } = options.sandbox;
    const spec = buildContainerSpec({ ...options, sandbox });
    assert.equal(spec.mounts.find((m) => m.destination === "/dev/shm")?.type, "tmpfs");
  });

  it("unmasks /proc when the pod asks for procMount Unmasked", () => {
    const spec = withConfig(sc({ maskedPaths: [], readonlyPaths: [] }));
    assert.deepEqual(spec.linux.maskedPaths, []);
    assert.deepEqual(spec.linux.readonlyPaths, []);
  });

  it("adds devices to the cgroup rules and creates their nodes", () => {
    const spec = buildContainerSpec({
      ...options,
      devices: [
        {
          containerPath: "/dev/fuse",
          type: "c",
          major: 10,
          minor: 229,
          permissions: "rw",
          fileMode: 0o666,
        },
      ],
    });
    assert.deepEqual(spec.linux.resources.devices?.at(-1), {
      allow: true,
      type: "c",
      major: 10,
      minor: 229,
      access: "rw",
    });
    assert.deepEqual(spec.linux.devices, [
      { path: "/dev/fuse", type: "c", major: 10, minor: 229, fileMode: 0o666 },
    ]);
  });

  it("refuses a privileged container in an unprivileged sandbox", () => {
    assert.throws(() => withConfig(sc({ privileged: true })), PrivilegedNotAllowedError);
  });

  it("gives a privileged container every capability, device and a writable /sys", () => {
    const spec = buildContainerSpec({
      ...options,
      config: { ...nginx, ...sc({ privileged: true }) },
      sandbox: {
        ...options.sandbox,
        config: { ...sandboxConfig, linux: { securityContext: { privileged: true } } },
      },
      hostDevices: [{ containerPath: "/dev/sda", type: "b", major: 8, minor: 0 }],
    });
    assert.deepEqual(spec.process.capabilities.bounding, ALL_CAPABILITIES);
    assert.deepEqual(spec.linux.resources.devices, [{ allow: true, access: "rwm" }]);
    assert.deepEqual(spec.linux.maskedPaths, []);
    assert.deepEqual(spec.linux.devices, [{ path: "/dev/sda", type: "b", major: 8, minor: 0 }]);
    const sys = spec.mounts.find((m) => m.destination === "/sys");
    assert.ok(sys?.options.includes("rw"));
  });
});
