// Root suite: the real CNI plugins (bridge, host-local, loopback) attaching
// a named network namespace, and detaching it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import {
  addNetworkList,
  CniError,
  delNetworkList,
  type NetworkConfigList,
  primaryIp,
} from "../../../src/network/cni/index.js";
import { createNetns, removeNetns } from "../../../src/network/netns.js";
import { bridgeNetwork, deleteBridge } from "../../support/cni.js";
import { tempDir } from "../../support/tmp.js";

const sh = (cmd: string, args: string[]) => execFileSync(cmd, args, { encoding: "utf8" });

describe("CNI network lists", () => {
  const dir = tempDir("cni");
  const tag = process.pid % 10000;
  const bridge = `k8tst${tag}`;
  const third = 200 + (process.pid % 50);
  const subnet = `10.250.${third}.0/24`;
  const names = [`k8ts-cni-${process.pid}-a`, `k8ts-cni-${process.pid}-b`];
  after(async () => {
    for (const name of names) await removeNetns(name);
    deleteBridge(bridge);
    dir.remove();
  });

  const list = (extra: NetworkConfigList["plugins"] = []): NetworkConfigList =>
    bridgeNetwork({ name: "k8ts-test", bridge, subnet, ipamDir: join(dir.path, "ipam"), extra });
  const ipamFiles = () =>
    readdirSync(join(dir.path, "ipam", "k8ts-test")).filter((f) => /^\d/.test(f));

  it("gives the namespace an eth0 with an address the host reaches, and takes it back", async () => {
    const [name] = names as [string];
    const netns = await createNetns(name);
    const runtime = { containerId: "cni-test-a", netns, ifName: "eth0" };
    const result = await addNetworkList(list([{ type: "loopback" }]), runtime);
    const ip = primaryIp(result) ?? "";
    assert.match(ip, new RegExp(`^10\\.250\\.${third}\\.\\d+$`));
    assert.match(
      sh("ip", ["-n", name, "-o", "-4", "addr", "show", "eth0"]),
      new RegExp(` ${ip.replaceAll(".", "\\.")}/24 `),
    );
    // The host reaches the pod through the bridge (the gateway is the bridge's address).
    sh("/bin/busybox", ["ping", "-c", "1", "-W", "2", ip]);
    assert.deepEqual(ipamFiles(), [ip], "host-local recorded the lease");

    await delNetworkList(list([{ type: "loopback" }]), runtime, result);
    assert.throws(() => sh("ip", ["-n", name, "link", "show", "eth0"]), "eth0 is gone");
    assert.deepEqual(ipamFiles(), [], "the lease is released");
    // DEL again (a retried teardown) succeeds.
    await delNetworkList(list([{ type: "loopback" }]), runtime, result);
  });

  it("undoes the plugins that ran when a later one fails", async () => {
    const name = names[1] as string;
    const netns = await createNetns(name);
    const runtime = { containerId: "cni-test-b", netns, ifName: "eth0" };
    await assert.rejects(
      addNetworkList(list([{ type: "k8ts-no-such-plugin" }]), runtime),
      (error: unknown) => {
        assert.ok(error instanceof CniError);
        assert.match(error.message, /k8ts-no-such-plugin.*not found/);
        return true;
      },
    );
    assert.throws(() => sh("ip", ["-n", name, "link", "show", "eth0"]), "no eth0 left behind");
    assert.deepEqual(ipamFiles(), [], "no lease left behind");
  });

  it("reports a plugin's own structured error", async () => {
    const name = names[1] as string;
    const runtime = { containerId: "cni-test-c", netns: `/var/run/netns/${name}`, ifName: "eth0" };
    const bad: NetworkConfigList = {
      cniVersion: "1.0.0",
      name: "k8ts-test",
      plugins: [
        {
          type: "bridge",
          bridge,
          ipam: { type: "host-local", ranges: [[{ subnet: "not-a-cidr" }]] },
        },
      ],
    };
    await assert.rejects(addNetworkList(bad, runtime), (error: unknown) => {
      assert.ok(error instanceof CniError);
      assert.match(error.message, /^CNI plugin bridge failed \(code \d+\): .+/);
      return true;
    });
  });
});
