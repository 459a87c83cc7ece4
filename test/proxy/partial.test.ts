import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { endpointChain, portProtoHash } from "../../src/proxy/names.js";
import { planRestore } from "../../src/proxy/partial.js";
import { restoreText } from "../../src/proxy/restore.js";
import { buildRuleset } from "../../src/proxy/rules.js";
import { ep, input, service, slice } from "./fixtures.js";

const SVC1 = `KUBE-SVC-${portProtoHash("default/svc1:p80", "tcp")}`;
const SVC2 = `KUBE-SVC-${portProtoHash("default/svc2:p80", "tcp")}`;
const sep = (svc: string, ip: string) =>
  endpointChain({ name: `default/${svc}:p80`, protocol: "tcp" }, `${ip}:80`);

const services = [
  service("default/svc1", { clusterIP: "10.43.0.1" }),
  service("default/svc2", { clusterIP: "10.43.0.2" }),
];
const both = buildRuleset(
  input(services, [
    slice("default/svc1", [ep("10.42.0.5"), ep("10.42.0.6")]),
    slice("default/svc2", [ep("10.42.0.7")]),
  ]),
);
/** Chains declared by a plan's restore input (`:NAME - [0:0]` lines). */
const declared = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith(":"))
    .map((l) => l.slice(1).split(" ")[0]);

describe("partial restore plan", () => {
  it("writes every chain on a full sync and deletes stale service chains the kernel holds", () => {
    const plan = planRestore(both, {
      existing: ["KUBE-SERVICES", SVC1, "KUBE-SEP-OLDOLDOLDOLDOLDO"],
    });
    assert.deepEqual(plan.rules, {
      filterChains: both.filterChains,
      filterRules: both.filterRules,
      natChains: both.natChains,
      natRules: both.natRules,
    });
    assert.deepEqual(plan.stale, ["KUBE-SEP-OLDOLDOLDOLDOLDO"]);
    assert.equal(plan.unchanged, 0);
    assert.deepEqual(
      [...plan.written.keys()].sort(),
      [
        SVC1,
        SVC2,
        sep("svc1", "10.42.0.5"),
        sep("svc1", "10.42.0.6"),
        sep("svc2", "10.42.0.7"),
      ].sort(),
    );
  });

  it("with nothing changed, writes only the top-level chains", () => {
    const { written } = planRestore(both, { existing: [] });
    const plan = planRestore(both, { previous: written });
    const text = restoreText(plan.rules, { stale: plan.stale });
    assert.deepEqual(plan.stale, []);
    assert.equal(plan.unchanged, 5);
    assert.ok(
      !declared(text).some((c) => c?.startsWith("KUBE-SVC-") || c?.startsWith("KUBE-SEP-")),
    );
    // KUBE-SERVICES is flushed and refilled, still jumping to the untouched service chains.
    assert.ok(text.includes(":KUBE-SERVICES - [0:0]"));
    assert.ok(
      text.split("\n").some((l) => l.startsWith("-A KUBE-SERVICES") && l.endsWith(`-j ${SVC1}`)),
    );
  });

  it("rewrites the changed service's chains only, and deletes the endpoint chain that went", () => {
    const { written } = planRestore(both, { existing: [] });
    const next = buildRuleset(
      input(services, [
        slice("default/svc1", [ep("10.42.0.5")]),
        slice("default/svc2", [ep("10.42.0.7")]),
      ]),
    );
    const plan = planRestore(next, { previous: written });
    const text = restoreText(plan.rules, { stale: plan.stale });
    assert.deepEqual(plan.stale, [sep("svc1", "10.42.0.6")]);
    assert.deepEqual(
      declared(text).filter((c) => c?.startsWith("KUBE-SVC-") || c?.startsWith("KUBE-SEP-")),
      [SVC1, sep("svc1", "10.42.0.6")],
      "svc1's chain rewritten, the gone endpoint's declared to be deleted; svc1's kept endpoint and svc2 untouched",
    );
    assert.ok(text.includes(`-X ${sep("svc1", "10.42.0.6")}`));
    assert.ok(!text.includes(`-A ${SVC2} `));
    assert.ok(!plan.written.has(sep("svc1", "10.42.0.6")));
  });

  it("deletes every chain of a removed service", () => {
    const { written } = planRestore(both, { existing: [] });
    const next = buildRuleset(
      input(
        [services[0] as (typeof services)[0]],
        [slice("default/svc1", [ep("10.42.0.5"), ep("10.42.0.6")])],
      ),
    );
    const plan = planRestore(next, { previous: written });
    assert.deepEqual(plan.stale, [SVC2, sep("svc2", "10.42.0.7")].sort());
    assert.equal(plan.unchanged, 3);
  });
});
