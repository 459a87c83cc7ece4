import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseExecArgs } from "../../../src/cli/commands/container/exec-args.js";
import { FlagError, parseFlags } from "../../../src/cli/commands/container/flags.js";
import { parseRunArgs } from "../../../src/cli/commands/container/run-args.js";

const SPECS = [
  { long: "detach", short: "d" },
  { long: "tty", short: "t" },
  { long: "interactive", short: "i" },
  { long: "name", value: true },
  { long: "env", short: "e", value: true },
  { long: "memory", short: "m", value: true },
] as const;

describe("docker-style flags", () => {
  it("stops at the first operand and leaves the command's own flags alone", () => {
    const p = parseFlags(["-d", "busybox", "sh", "-c", "ls -l", "--name", "x"], SPECS);
    assert.deepEqual([...p.set], ["detach"]);
    assert.deepEqual(p.rest, ["busybox", "sh", "-c", "ls -l", "--name", "x"]);
  });

  it("combines short booleans and reads values after a space, = or glued on", () => {
    const p = parseFlags(["-it", "--name=web", "-e", "A=1", "-eB=2", "-m64m", "--", "-img"], SPECS);
    assert.deepEqual([...p.set].sort(), ["interactive", "tty"]);
    assert.deepEqual(p.values.get("env"), ["A=1", "B=2"]);
    assert.deepEqual(p.values.get("name"), ["web"]);
    assert.deepEqual(p.values.get("memory"), ["64m"]);
    assert.deepEqual(p.rest, ["-img"], "-- ends the flags");
  });

  it("refuses unknown flags, a missing value and a value for a boolean", () => {
    assert.throws(() => parseFlags(["--nope", "x"], SPECS), /unknown flag: --nope/);
    assert.throws(() => parseFlags(["-x"], SPECS), /unknown shorthand flag: 'x'/);
    assert.throws(() => parseFlags(["--name"], SPECS), /flag needs an argument: --name/);
    assert.throws(() => parseFlags(["--detach=yes", "img"], SPECS), FlagError);
  });
});

describe("k8ts run's command line", () => {
  const env = { HOME: "/root" };
  it("turns docker's flags into a run spec", () => {
    const r = parseRunArgs(
      [
        "-d",
        "--name",
        "web",
        "-e",
        "A=1",
        "-e",
        "HOME",
        "-e",
        "UNSET",
        "-v",
        "/srv:/data:ro",
        "-m",
        "64m",
        "--cpus",
        "0.5",
        "--pids-limit",
        "20",
        "-p",
        "8080:80",
        "nginx",
        "nginx",
        "-g",
        "daemon off;",
      ],
      { environment: env },
    );
    assert.equal(r.detach, true);
    assert.equal(r.dataDir, "/var/lib/k8ts");
    assert.deepEqual(r.spec, {
      name: "web",
      image: "nginx",
      command: ["nginx", "-g", "daemon off;"],
      env: [
        { key: "A", value: "1" },
        { key: "HOME", value: "/root" },
      ],
      mounts: [{ hostPath: "/srv", containerPath: "/data", readonly: true }],
      ports: [{ protocol: "TCP", containerPort: 80, hostPort: 8080 }],
      memoryBytes: 64 * 1024 * 1024,
      cpu: { cpuQuota: 50_000, cpuPeriod: 100_000 },
      pidsLimit: 20,
      tty: false,
      stdin: false,
      autoRemove: false,
      privileged: false,
    });
  });

  it("names an unnamed container like docker, avoiding names in use", () => {
    const r = parseRunArgs(["busybox"], {
      environment: env,
      takenNames: new Set(["brave_babbage"]),
      random: () => 0,
    });
    assert.equal(r.spec.name, "brave_babbage10");
  });

  it("fails clearly without an image or with a bad name", () => {
    assert.throws(() => parseRunArgs(["-d"], { environment: env }), /requires at least 1 argument/);
    assert.throws(
      () => parseRunArgs(["--name", "-bad", "x"], { environment: env }),
      /invalid container name/,
    );
  });

  it("reads exec's flags before the container and the command after it", () => {
    assert.deepEqual(parseExecArgs(["-it", "web", "sh", "-c", "ls -l"]), {
      help: false,
      container: "web",
      command: ["sh", "-c", "ls -l"],
      stdin: true,
      tty: true,
      dataDir: "/var/lib/k8ts",
    });
    assert.throws(() => parseExecArgs(["web"]), /requires at least 2 arguments/);
  });
});
