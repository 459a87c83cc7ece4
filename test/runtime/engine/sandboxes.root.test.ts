// Root suite: pod sandboxes on runc with a CNI-attached network namespace.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, readlinkSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { PodSandboxConfig } from "../../../src/runtime/cri.js";
import { CriNotFoundError } from "../../../src/runtime/cri.js";
import { CniPodNetwork } from "../../../src/runtime/engine/pod-network.js";
import { Sandboxes } from "../../../src/runtime/engine/sandboxes.js";
import { hostLimits, Runc } from "../../../src/runtime/oci/index.js";
import { bridgeNetwork, deleteBridge } from "../../support/cni.js";
import { tempDir } from "../../support/tmp.js";

const RUNC = "/usr/sbin/runc";

describe("pod sandboxes", () => {
  const dir = tempDir("sandboxes");
  const bridge = `k8tss${process.pid % 10000}`;
  const third = 150 + (process.pid % 50);
  const runc = new Runc({ root: join(dir.path, "runc"), binary: RUNC });
  const network = new CniPodNetwork(
    bridgeNetwork({
      name: "k8ts-sandbox-test",
      bridge,
      subnet: `10.251.${third}.0/24`,
      ipamDir: join(dir.path, "ipam"),
      extra: [{ type: "loopback" }],
    }),
  );
  const sandboxes = new Sandboxes({
    stateDir: join(dir.path, "state"),
    runc,
    runcPath: RUNC,
    network,
    nodeIp: "192.0.2.1",
    limits: hostLimits(),
  });
  after(async () => {
    for (const record of (await sandboxes.records.list()).records) {
      await sandboxes.remove(record.id).catch(() => {});
    }
    deleteBridge(bridge);
    dir.remove();
  });

  const config: PodSandboxConfig = {
    metadata: { name: "web-0", uid: "uid-web-0", namespace: "default", attempt: 0 },
    hostname: "web-0",
    labels: { app: "web" },
  };

  it("runs the pause in the pod's own network namespace, with an IP the host reaches", async () => {
    const id = await sandboxes.run(config);
    const status = await sandboxes.status(id);
    assert.equal(status.state, "SANDBOX_READY");
    const ip = status.network?.ip ?? "";
    assert.match(ip, new RegExp(`^10\\.251\\.${third}\\.\\d+$`));
    execFileSync("/bin/busybox", ["ping", "-c", "1", "-W", "2", ip]);

    const pid = await sandboxes.pausePid(id);
    assert.ok(pid !== undefined);
    // `runc start` returns as runc's init execs the pause binary: until the exec lands
    // (later under load) the process still reads as `runc init`.
    const argv0 = () => readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
    for (let i = 0; i < 40 && argv0() !== "/catatonit"; i++)
      await new Promise((r) => setTimeout(r, 50));
    assert.equal(argv0(), "/catatonit");
    const record = await sandboxes.records.get(id);
    const netns = record?.netnsPath ?? "";
    // The pause's network namespace is the named one CNI configured.
    assert.equal(statSync(`/proc/${pid}/ns/net`).ino, statSync(netns).ino);
    assert.notEqual(readlinkSync(`/proc/${pid}/ns/uts`), readlinkSync("/proc/self/ns/uts"));
    assert.deepEqual(
      (await sandboxes.list({ labelSelector: { app: "web" } })).map((s) => s.id),
      [id],
    );

    await sandboxes.stop(id);
    assert.equal((await sandboxes.status(id)).state, "SANDBOX_NOTREADY");
    assert.ok(!existsSync(netns), "the network namespace is gone");
    assert.deepEqual(
      readdirSync(join(dir.path, "ipam", "k8ts-sandbox-test")).filter((f) => /^\d/.test(f)),
      [],
      "the IP is released",
    );
    await sandboxes.stop(id);
    await sandboxes.remove(id);
    await sandboxes.remove(id);
    await assert.rejects(sandboxes.status(id), CriNotFoundError);
    assert.deepEqual(await runc.list(), []);
  });

  it("gives host-network pods the node's IP and no namespace of their own", async () => {
    const id = await sandboxes.run({
      ...config,
      metadata: { ...config.metadata, name: "host", uid: "uid-host" },
      linux: { securityContext: { namespaceOptions: { network: "NODE" } } },
    });
    try {
      const pid = await sandboxes.pausePid(id);
      assert.equal(readlinkSync(`/proc/${pid}/ns/net`), readlinkSync("/proc/self/ns/net"));
      assert.equal((await sandboxes.status(id)).network?.ip, "192.0.2.1");
    } finally {
      await sandboxes.remove(id);
    }
  });

  it("leaves nothing behind when the pod network fails", async () => {
    const prefix = `k8ts-fail${process.pid}-`;
    const failing = new Sandboxes({
      stateDir: join(dir.path, "state"),
      netnsPrefix: prefix,
      runc,
      runcPath: RUNC,
      network: new CniPodNetwork({
        cniVersion: "1.0.0",
        name: "broken",
        plugins: [{ type: "k8ts-missing" }],
      }),
      nodeIp: "192.0.2.1",
      limits: hostLimits(),
    });
    await assert.rejects(failing.run(config), /k8ts-missing/);
    assert.deepEqual((await failing.records.list()).records, []);
    assert.deepEqual(
      readdirSync("/var/run/netns").filter((n) => n.startsWith(prefix)),
      [],
      "no network namespace left",
    );
    assert.deepEqual(await runc.list(), []);
  });
});
