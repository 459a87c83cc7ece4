import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspectView, isoTime } from "../../../src/cli/commands/container/inspect-view.js";
import {
  commandText,
  humanDuration,
  type PsRow,
  psTable,
  statusText,
} from "../../../src/cli/commands/container/ps-table.js";
import type { ContainerStatus } from "../../../src/runtime/cri.js";

const S = 1_000_000_000n;
const row: PsRow = {
  id: "0123456789abcdef",
  image: "busybox",
  command: ["sh", "-c", "while true; do sleep 1; done"],
  createdAt: 100n * S,
  state: "CONTAINER_RUNNING",
  startedAt: 101n * S,
  finishedAt: 0n,
  exitCode: 0,
  ports: "0.0.0.0:8080->80/tcp",
  name: "web",
};

describe("k8ts ps", () => {
  it("prints durations as docker does", () => {
    assert.equal(humanDuration(500), "Less than a second");
    assert.equal(humanDuration(1000), "1 second");
    assert.equal(humanDuration(42_000), "42 seconds");
    assert.equal(humanDuration(61_000), "About a minute");
    assert.equal(humanDuration(5 * 60_000), "5 minutes");
    assert.equal(humanDuration(3_600_000), "About an hour");
    assert.equal(humanDuration(3 * 86_400_000), "3 days");
  });

  it("says Up, Exited (code) … ago or Created", () => {
    assert.equal(statusText(row, 111n * S), "Up 10 seconds");
    assert.equal(
      statusText(
        { ...row, state: "CONTAINER_EXITED", exitCode: 137, finishedAt: 105n * S },
        111n * S,
      ),
      "Exited (137) 6 seconds ago",
    );
    assert.equal(statusText({ ...row, state: "CONTAINER_CREATED" }, 111n * S), "Created");
  });

  it("cuts the command to 20 characters", () => {
    assert.equal(commandText(["sh"]), '"sh"');
    assert.equal(commandText(row.command), '"sh -c while true; d…"');
  });

  it("lines the columns up under docker's headers", () => {
    const lines = psTable([row], 111n * S).split("\n");
    assert.match(lines[0] ?? "", /^CONTAINER ID {3}IMAGE +COMMAND +CREATED +STATUS +PORTS +NAMES$/);
    assert.match(
      lines[1] ?? "",
      /^0123456789ab {3}busybox {3}"sh -c while true; d…" {3}11 seconds ago {3}Up 10 seconds {3}0\.0\.0\.0:8080->80\/tcp {3}web$/,
    );
  });
});

describe("k8ts inspect", () => {
  it("shows an OOM-killed container as docker does", () => {
    const status: ContainerStatus = {
      id: "c1",
      metadata: { name: "hog", attempt: 0 },
      state: "CONTAINER_EXITED",
      createdAt: 1n,
      startedAt: 1_700_000_000n * S + 5n,
      finishedAt: 1_700_000_001n * S,
      exitCode: 137,
      reason: "OOMKilled",
      image: { image: "sha256:abc" },
      imageRef: "busybox@sha256:def",
      logPath: "/var/log/x.log",
      annotations: {
        "io.k8ts.run.image": "busybox",
        "io.k8ts.run.command": '["sh","-c","tail /dev/zero"]',
        "io.k8ts.run.options":
          '{"autoRemove":false,"memoryBytes":33554432,"nanoCpus":0,"pidsLimit":0}',
      },
    };
    const view = inspectView({
      name: "hog",
      status,
      sandbox: {
        id: "s1",
        metadata: { name: "hog", uid: "u", namespace: "k8ts-run", attempt: 0 },
        state: "SANDBOX_NOTREADY",
        createdAt: 1n,
        network: { ip: "10.88.0.5" },
      },
      pid: 0,
    }) as {
      Name: string;
      Path: string;
      Args: string[];
      State: Record<string, unknown>;
      HostConfig: Record<string, unknown>;
      NetworkSettings: Record<string, unknown>;
    };
    assert.equal(view.Name, "/hog");
    assert.deepEqual([view.Path, view.Args], ["sh", ["-c", "tail /dev/zero"]]);
    assert.deepEqual(
      [view.State.Status, view.State.OOMKilled, view.State.ExitCode, view.State.Running],
      ["exited", true, 137, false],
    );
    assert.equal(view.State.StartedAt, "2023-11-14T22:13:20.000000005Z");
    assert.equal(view.HostConfig.Memory, 33554432);
    assert.equal(view.NetworkSettings.IPAddress, "10.88.0.5");
  });

  it("shows the limits as k8ts update last set them, not as run did", () => {
    const view = inspectView({
      name: "web",
      status: {
        id: "c2",
        metadata: { name: "web", attempt: 0 },
        state: "CONTAINER_RUNNING",
        createdAt: 1n,
        startedAt: 2n,
        finishedAt: 0n,
        exitCode: 0,
        image: { image: "sha256:abc" },
        imageRef: "busybox@sha256:def",
        logPath: "/var/log/y.log",
        annotations: {
          "io.k8ts.run.options":
            '{"autoRemove":false,"memoryBytes":33554432,"nanoCpus":200000000,"pidsLimit":20}',
        },
        resources: {
          linux: { memoryLimitInBytes: 67108864, cpuQuota: 50_000, cpuPeriod: 100_000 },
        },
      },
      sandbox: {
        id: "s2",
        metadata: { name: "web", uid: "u", namespace: "k8ts-run", attempt: 0 },
        state: "SANDBOX_READY",
        createdAt: 1n,
      },
      pid: 42,
      pidsLimit: 50,
    }) as { HostConfig: Record<string, unknown> };
    assert.deepEqual(
      [view.HostConfig.Memory, view.HostConfig.NanoCpus, view.HostConfig.PidsLimit],
      [67108864, 500_000_000, 50],
    );
  });

  it("prints docker's zero time for times not reached", () => {
    assert.equal(isoTime(0n), "0001-01-01T00:00:00Z");
  });
});
