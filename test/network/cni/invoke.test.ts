import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { pluginStdin } from "../../../src/network/cni/index.js";

describe("pluginStdin", () => {
  const list = { cniVersion: "1.0.0", name: "k8ts" };
  const portMappings = [{ hostPort: 8088, containerPort: 80, protocol: "tcp" }];

  it("hands a plugin the capability arguments it declares as runtimeConfig", () => {
    const conf = JSON.parse(
      pluginStdin(
        list,
        { type: "portmap", capabilities: { portMappings: true } },
        {
          capabilityArgs: { portMappings, bandwidth: { ingressRate: 1 } },
        },
      ),
    );
    assert.deepEqual(conf.runtimeConfig, { portMappings });
    assert.equal(conf.name, "k8ts");
  });

  it("gives a plugin that declares no capabilities no runtimeConfig", () => {
    const prevResult = { cniVersion: "1.0.0", ips: [{ address: "10.42.0.5/24" }] };
    const conf = JSON.parse(
      pluginStdin(list, { type: "bridge" }, { prevResult, capabilityArgs: { portMappings } }),
    );
    assert.equal(conf.runtimeConfig, undefined);
    assert.deepEqual(conf.prevResult, prevResult);
  });
});
