import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  checkCgroups,
  checkKernel,
  checkPorts,
  checkSwap,
  type HostFacts,
  kernelVersion,
  preflight,
} from "../../../src/cli/preflight/checks.js";
import {
  parseFilesystems,
  parseProcCgroups,
  parseSwaps,
} from "../../../src/cli/preflight/facts.js";

const healthy: HostFacts = {
  kernelRelease: "6.1.0-18-amd64",
  uid: 0,
  filesystems: ["ext4", "overlay", "proc"],
  cgroupVersion: "v2",
  cgroupControllers: ["cpuset", "cpu", "io", "memory", "pids"],
  swapDevices: [],
  ipForward: "1",
  brNetfilter: true,
};

describe("preflight checks", () => {
  it("passes a healthy Debian 12 host", () => {
    const results = preflight(healthy, [
      { port: 6443, protocol: "tcp", purpose: "API server", inUse: false },
    ]);
    assert.deepEqual(
      results.filter((r) => r.status !== "ok").map((r) => r.name),
      [],
    );
    assert.ok(results.some((r) => r.name === "port 6443/tcp"));
  });

  it("judges kernel versions as kubeadm does: fail before 3.10, warn before 4.19", () => {
    assert.deepEqual(kernelVersion("5.10.0-28-cloud-amd64"), [5, 10]);
    assert.equal(kernelVersion("weird"), undefined);
    const status = (r: string) => checkKernel({ ...healthy, kernelRelease: r }).status;
    assert.equal(status("2.6.32"), "fail");
    assert.equal(status("3.9.0"), "fail");
    assert.equal(status("3.10.0-1160.el7.x86_64"), "warn");
    assert.equal(status("4.18.0"), "warn");
    assert.equal(status("4.19.0"), "ok");
    assert.equal(status("10.0.1"), "ok");
    assert.equal(status("garbage"), "warn");
  });

  it("fails without root, overlayfs or a needed cgroup controller, naming the fix", () => {
    const results = preflight(
      { ...healthy, uid: 1000, filesystems: ["ext4"], cgroupControllers: ["cpu"] },
      [],
    );
    const byName = new Map(results.map((r) => [r.name, r]));
    assert.equal(byName.get("root")?.status, "fail");
    assert.equal(byName.get("overlayfs")?.fix, "modprobe overlay");
    const cg = checkCgroups({ ...healthy, cgroupControllers: ["cpu"] });
    assert.equal(cg.status, "fail");
    assert.match(cg.detail, /memory, pids/);
    assert.match(cg.fix ?? "", /cgroup_enable=memory cgroup_enable=pids/);
  });

  it("warns on swap, forwarding off and br_netfilter missing (the proxy sets the last two)", () => {
    const swap = checkSwap({ ...healthy, swapDevices: ["/swapfile"] });
    assert.equal(swap.status, "warn");
    assert.match(swap.fix ?? "", /swapoff -a/);
    const results = preflight({ ...healthy, ipForward: "0", brNetfilter: false }, []);
    const warned = results.filter((r) => r.status === "warn").map((r) => r.fix);
    assert.deepEqual(warned, ["sysctl -w net.ipv4.ip_forward=1", "modprobe br_netfilter"]);
  });

  it("fails for each port in use", () => {
    const results = checkPorts([
      { port: 53, protocol: "udp", purpose: "cluster DNS", inUse: true },
      { port: 10250, protocol: "tcp", purpose: "kubelet", inUse: false },
    ]);
    assert.deepEqual(
      results.map((r) => [r.name, r.status]),
      [
        ["port 53/udp", "fail"],
        ["port 10250/tcp", "ok"],
      ],
    );
  });
});

describe("host fact parsers", () => {
  it("reads /proc/filesystems, /proc/cgroups and /proc/swaps", () => {
    assert.deepEqual(parseFilesystems("nodev\tsysfs\n\text4\nnodev\toverlay\n"), [
      "sysfs",
      "ext4",
      "overlay",
    ]);
    const cgroups =
      "#subsys_name\thierarchy\tnum_cgroups\tenabled\ncpu\t3\t90\t1\nmemory\t5\t120\t0\npids\t9\t88\t1\n";
    assert.deepEqual(parseProcCgroups(cgroups), ["cpu", "pids"]);
    const swaps =
      "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n/swapfile                               file\t\t2097148\t\t0\t\t-2\n";
    assert.deepEqual(parseSwaps(swaps), ["/swapfile"]);
    assert.deepEqual(parseSwaps("Filename\tType\tSize\tUsed\tPriority\n"), []);
  });
});
