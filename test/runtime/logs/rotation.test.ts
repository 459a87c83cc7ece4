import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  allLogs,
  containerLogPath,
  partitionRotated,
  planRotation,
  podLogsDirectory,
  rotationStamp,
} from "../../../src/runtime/logs/rotation.js";

const log = "/var/log/pods/default_nginx_uid/nginx/0.log";
const now = new Date(Date.UTC(2023, 10, 30, 10, 10, 10));

describe("log paths", () => {
  it("puts pod logs under namespace_name_uid", () => {
    assert.equal(
      podLogsDirectory({ namespace: "default", name: "nginx", uid: "uid" }),
      "/var/log/pods/default_nginx_uid",
    );
  });

  it("names container logs by restart count", () => {
    assert.equal(containerLogPath("nginx", 3), "nginx/3.log");
  });

  it("stamps rotated logs like 20231130-101010", () => {
    assert.equal(rotationStamp(now, { utc: true }), "20231130-101010");
  });
});

describe("log rotation decisions", () => {
  const policy = { maxSize: 1000, maxFiles: 5 };
  const rotated = (stamps: string[]) => stamps.map((s) => `${log}.${s}`);

  it("leaves a log below the maximum size alone", () => {
    assert.equal(
      planRotation({ logPath: log, size: 999, rotated: [], policy, now, utc: true }),
      undefined,
    );
  });

  it("does not rotate when rotation is disabled", () => {
    const plan = planRotation({
      logPath: log,
      size: 10 ** 9,
      rotated: [],
      policy: { maxSize: 0, maxFiles: 5 },
      now,
    });
    assert.equal(plan, undefined);
  });

  it("renames the first full log to a stamped name", () => {
    assert.deepEqual(
      planRotation({ logPath: log, size: 1000, rotated: [], policy, now, utc: true }),
      {
        remove: [],
        compress: [],
        rename: { from: log, to: `${log}.20231130-101010` },
      },
    );
  });

  it("compresses the previously rotated log", () => {
    const plan = planRotation({
      logPath: log,
      size: 2000,
      rotated: rotated(["20231129-000000.gz", "20231130-000000"]),
      policy,
      now,
      utc: true,
    });
    assert.deepEqual(plan?.compress, [`${log}.20231130-000000`]);
    assert.deepEqual(plan?.remove, []);
  });

  it("keeps at most maxFiles - 2 rotated logs, removing the oldest", () => {
    const plan = planRotation({
      logPath: log,
      size: 2000,
      rotated: rotated([
        "20231127-000000.gz",
        "20231126-000000.gz",
        "20231128-000000.gz",
        "20231129-000000.gz",
        "20231130-000000",
      ]),
      policy,
      now,
      utc: true,
    });
    assert.deepEqual(plan?.remove, [`${log}.20231126-000000.gz`, `${log}.20231127-000000.gz`]);
    assert.deepEqual(plan?.compress, [`${log}.20231130-000000`]);
  });

  it("keeps no rotated logs with maxFiles 2", () => {
    const plan = planRotation({
      logPath: log,
      size: 2000,
      rotated: rotated(["20231130-000000"]),
      policy: { maxSize: 1000, maxFiles: 2 },
      now,
    });
    assert.deepEqual(plan?.remove, [`${log}.20231130-000000`]);
    assert.deepEqual(plan?.compress, []);
  });

  it("cleans up leftovers of a failed rotation first", () => {
    const plan = planRotation({
      logPath: log,
      size: 2000,
      rotated: rotated(["20231129-000000", "20231129-000000.gz", "20231130-000000.tmp"]),
      policy,
      now,
    });
    assert.deepEqual(plan?.remove, [`${log}.20231129-000000`, `${log}.20231130-000000.tmp`]);
    assert.deepEqual(plan?.compress, []);
  });

  it("ignores other containers' files in the same directory", () => {
    const plan = planRotation({
      logPath: log,
      size: 2000,
      rotated: [`${log}x.20231129-000000`],
      policy,
      now,
    });
    assert.deepEqual(plan?.remove, []);
  });

  it("lists all logs oldest first with the current one last", () => {
    const files = rotated(["20231130-000000", "20231129-000000.gz", "20231130-000000.tmp"]);
    assert.deepEqual(allLogs(log, files), [
      `${log}.20231129-000000.gz`,
      `${log}.20231130-000000`,
      log,
    ]);
    assert.deepEqual(partitionRotated(files).unused, [`${log}.20231130-000000.tmp`]);
  });
});
