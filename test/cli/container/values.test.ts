import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { startFailureExitCode } from "../../../src/cli/commands/container/exit-codes.js";
import {
  parseCpus,
  parseEnv,
  parseMemory,
  parsePidsLimit,
  parsePublish,
  parseVolume,
} from "../../../src/cli/commands/container/values.js";

describe("k8ts run flag values", () => {
  it("reads memory sizes in binary units and refuses less than 6 MiB", () => {
    assert.equal(parseMemory("64m"), 64 * 1024 * 1024);
    assert.equal(parseMemory("1g"), 1024 ** 3);
    assert.equal(parseMemory("32MB"), 32 * 1024 * 1024);
    assert.equal(parseMemory("10485760"), 10 * 1024 * 1024);
    assert.throws(() => parseMemory("4m"), /minimum memory limit allowed is 6MB/);
    assert.throws(() => parseMemory("lots"), /invalid memory size/);
  });

  it("turns --cpus into a CFS quota per 100 ms period", () => {
    assert.deepEqual(parseCpus("0.2"), { cpuQuota: 20_000, cpuPeriod: 100_000 });
    assert.deepEqual(parseCpus("2"), { cpuQuota: 200_000, cpuPeriod: 100_000 });
    assert.throws(() => parseCpus("0.001"), /at least 0.01/);
    assert.throws(() => parseCpus("-1"), /invalid --cpus/);
  });

  it("takes a positive pids limit or -1", () => {
    assert.equal(parsePidsLimit("20"), 20);
    assert.equal(parsePidsLimit("-1"), -1);
    assert.throws(() => parsePidsLimit("0"), /invalid --pids-limit/);
  });

  it("reads -p with an optional host IP and protocol, and needs a host port", () => {
    assert.deepEqual(parsePublish("8080:80"), {
      protocol: "TCP",
      containerPort: 80,
      hostPort: 8080,
    });
    assert.deepEqual(parsePublish("127.0.0.1:53:53/udp"), {
      protocol: "UDP",
      containerPort: 53,
      hostPort: 53,
      hostIp: "127.0.0.1",
    });
    assert.throws(() => parsePublish("80"), /does not choose host ports/);
    assert.throws(() => parsePublish("8000-8010:80"), /port ranges are not supported/);
    assert.throws(() => parsePublish("70000:80"), /invalid host port/);
    assert.throws(() => parsePublish("80:80/icmp"), /invalid protocol/);
  });

  it("reads bind mounts and refuses named volumes", () => {
    assert.deepEqual(parseVolume("/a:/b"), { hostPath: "/a", containerPath: "/b" });
    assert.deepEqual(parseVolume("/a:/b:ro"), {
      hostPath: "/a",
      containerPath: "/b",
      readonly: true,
    });
    assert.throws(() => parseVolume("data:/b"), /named volumes are not supported/);
    assert.throws(() => parseVolume("/a:b"), /container path must be absolute/);
    assert.throws(() => parseVolume("/a:/b:z"), /HOST:CONTAINER/);
  });

  it("reads -e K=V and passes a bare -e K from the environment", () => {
    assert.deepEqual(parseEnv("A=b=c", {}), { key: "A", value: "b=c" });
    assert.deepEqual(parseEnv("HOME", { HOME: "/root" }), { key: "HOME", value: "/root" });
    assert.equal(parseEnv("NOPE", {}), undefined);
    assert.throws(() => parseEnv("=x", {}), /invalid environment variable/);
  });

  it("exits 127 for a command that does not exist and 126 for one that cannot run, as docker", () => {
    assert.equal(startFailureExitCode('exec: "/nope": stat /nope: no such file or directory'), 127);
    assert.equal(startFailureExitCode('exec: "echo": executable file not found in $PATH'), 127);
    assert.equal(startFailureExitCode("exec: /etc/passwd: permission denied"), 126);
    assert.equal(startFailureExitCode("cgroup: out of memory"), undefined);
  });
});
