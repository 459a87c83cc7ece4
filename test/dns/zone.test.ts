import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { serviceRecords } from "../../src/dns/service-records.js";
import { Zone } from "../../src/dns/zone.js";
import { clusterIpService } from "./fixtures.js";

describe("Zone", () => {
  it("replaces a source's records whole and forgets them on removal", () => {
    let now = 1_700_000_000_000;
    const zone = new Zone({ domain: "cluster.local", now: () => now });
    const v1 = clusterIpService("web", { ip: "10.43.0.20", ports: [{ name: "http", port: 80 }] });
    zone.replace("default/web", serviceRecords({ service: v1, slices: [] }, "cluster.local"));
    assert.equal(zone.serial, 1_700_000_000);
    assert.ok(zone.exists("_tcp.web.default.svc.cluster.local"));
    now += 5000;
    const v2 = clusterIpService("web", { ip: "10.43.0.21" });
    zone.replace("default/web", serviceRecords({ service: v2, slices: [] }, "cluster.local"));
    assert.equal(zone.serial, 1_700_000_005);
    assert.deepEqual(zone.lookup("web.default.svc.cluster.local"), [
      { type: "A", data: "10.43.0.21" },
    ]);
    assert.ok(!zone.exists("_tcp.web.default.svc.cluster.local"), "the port is gone");
    assert.deepEqual(zone.lookup("20.0.43.10.in-addr.arpa"), []);
    zone.remove("default/web");
    assert.ok(!zone.exists("web.default.svc.cluster.local"));
    assert.ok(!zone.exists("default.svc.cluster.local"));
    assert.ok(zone.exists("cluster.local"));
  });

  it("keeps a shared name while any source still contributes to it", () => {
    const zone = new Zone({ domain: "cluster.local" });
    const a = clusterIpService("a", { ip: "10.43.0.1" });
    const b = clusterIpService("b", { ip: "10.43.0.2" });
    zone.replace("default/a", serviceRecords({ service: a, slices: [] }, "cluster.local"));
    zone.replace("default/b", serviceRecords({ service: b, slices: [] }, "cluster.local"));
    zone.remove("default/a");
    assert.ok(zone.exists("default.svc.cluster.local"));
    assert.ok(!zone.exists("a.default.svc.cluster.local"));
  });
});
