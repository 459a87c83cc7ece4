import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { IpOutputError, parseRoutes, parseSubnets } from "../../../src/network/routes/parse.js";

// As iproute2 6.1 prints them (`ip -j -4 addr show`, `ip -N -j -4 route show table main`).
const ADDRS = JSON.stringify([
  {
    ifname: "lo",
    addr_info: [{ family: "inet", local: "127.0.0.1", prefixlen: 8, scope: "host" }],
  },
  {
    ifname: "eth0",
    addr_info: [
      { family: "inet", local: "192.168.77.1", prefixlen: 24, scope: "global" },
      { family: "inet6", local: "fe80::1", prefixlen: 64, scope: "link" },
    ],
  },
  { ifname: "down0" },
]);

const ROUTES = JSON.stringify([
  { dst: "default", gateway: "192.168.77.254", dev: "eth0", protocol: "4", flags: [] },
  { dst: "10.99.1.0/24", gateway: "192.168.77.2", dev: "eth0", protocol: "75", flags: [] },
  { dst: "10.99.9.0/24", gateway: "192.168.77.3", dev: "eth0", protocol: "4", flags: [] },
  { dst: "10.1.2.3", gateway: "192.168.77.5", dev: "eth0", protocol: "75", flags: [] },
  { dst: "192.168.77.0/24", dev: "eth0", protocol: "2", scope: "253", prefsrc: "192.168.77.1" },
]);

describe("ip -json output", () => {
  it("reads the subnets of global IPv4 addresses", () => {
    assert.deepEqual(parseSubnets(ADDRS), ["192.168.77.1/24"]);
  });

  it("splits routes into ours (by protocol number) and others' destinations", () => {
    const view = parseRoutes(ROUTES, 75);
    assert.deepEqual(view.ours, [
      { dst: "10.99.1.0/24", via: "192.168.77.2" },
      { dst: "10.1.2.3/32", via: "192.168.77.5" },
    ]);
    assert.deepEqual([...view.foreignDsts], ["0.0.0.0/0", "10.99.9.0/24", "192.168.77.0/24"]);
  });

  it("reads empty output as no routes and refuses what is not a JSON array", () => {
    assert.deepEqual(parseRoutes("", 75).ours, []);
    assert.throws(() => parseRoutes("Error: nope", 75), IpOutputError);
    assert.throws(() => parseSubnets("{}"), /not a JSON array/);
  });
});
