// Root suite (issue #10): tearing a sandbox down always runs CNI DEL, so
// creating and deleting 300 pod sandboxes leaves host-local's IPAM store
// with no address held, and no veth or network namespace behind.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { CniPodNetwork } from "../../../src/runtime/engine/pod-network.js";
import { Sandboxes } from "../../../src/runtime/engine/sandboxes.js";
import { hostLimits, Runc } from "../../../src/runtime/oci/index.js";
import { bridgeNetwork, deleteBridge } from "../../support/cni.js";
import { pidsMentioning } from "../../support/processes.js";
import { tempDir } from "../../support/tmp.js";

const RUNC = "/usr/sbin/runc";
const PODS = 300;

/** Up to `width` calls at once over 0..count-1. */
async function parallel(count: number, width: number, fn: (i: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = next++; i < count; i = next++) await fn(i);
    }),
  );
}

describe("pod network teardown", () => {
  const dir = tempDir("ipam-leak");
  const bridge = `k8tsi${process.pid % 10000}`;
  const ipam = join(dir.path, "ipam");
  const runc = new Runc({ root: join(dir.path, "runc"), binary: RUNC });
  const sandboxes = new Sandboxes({
    stateDir: join(dir.path, "state"),
    runc,
    runcPath: RUNC,
    // A /22: room for 300 pods at once.
    network: new CniPodNetwork(
      bridgeNetwork({
        name: "k8ts-ipam-leak",
        bridge,
        subnet: `10.252.${(process.pid % 60) * 4}.0/22`,
        ipamDir: ipam,
      }),
    ),
    nodeIp: "192.0.2.1",
    limits: hostLimits(),
  });
  after(async () => {
    try {
      for (const record of (await sandboxes.records.list()).records) {
        await sandboxes.remove(record.id).catch(() => {});
      }
    } finally {
      // If the test failed half-way, what the records no longer name still goes:
      // monitors and pause processes of this state dir, and their namespaces.
      for (const pid of pidsMentioning(dir.path)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      const sandboxDirs = readdirSync(join(dir.path, "state", "sandboxes"), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
      for (const id of sandboxDirs) {
        try {
          execFileSync("ip", ["netns", "delete", `k8ts-${id.slice(0, 24)}`], { stdio: "ignore" });
        } catch {
          // removed with its sandbox
        }
      }
      deleteBridge(bridge);
      dir.remove();
    }
  });

  const held = () =>
    readdirSync(join(ipam, "k8ts-ipam-leak")).filter((f) => /^\d+\.\d+\.\d+\.\d+$/.test(f));

  it(`creates and deletes ${PODS} pod sandboxes and leaves no address held`, async () => {
    const ids: string[] = [];
    await parallel(PODS, 16, async (i) => {
      ids.push(
        await sandboxes.run({
          metadata: { name: `p-${i}`, uid: `uid-${i}`, namespace: "default", attempt: 0 },
          hostname: `p-${i}`,
        }),
      );
    });
    assert.equal(held().length, PODS, "one address per sandbox while they run");
    const netns = () => execFileSync("ip", ["netns", "list"], { encoding: "utf8" });
    const ours = (text: string) =>
      ids.filter((id) => text.includes(`k8ts-${id.slice(0, 24)}`)).length;
    assert.ok(ours(netns()) > 0);
    await parallel(ids.length, 16, (i) => sandboxes.remove(ids[i] as string));
    assert.deepEqual(held(), [], "the IPAM store is empty");
    assert.equal(ours(netns()), 0, "no network namespace left");
    assert.doesNotMatch(
      execFileSync("ip", ["-o", "link", "show", "master", bridge], { encoding: "utf8" }),
      /veth/,
      "no veth left on the bridge",
    );
  });
});
