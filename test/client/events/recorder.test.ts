// The event recorder against a real API server.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type CoreEvent, EVENTS, EventRecorder } from "../../../src/client/events/recorder.js";
import { RestClient } from "../../../src/client/rest/client.js";
import { loadKubeconfig } from "../../../src/client/rest/config.js";
import { ResourceClient } from "../../../src/client/rest/resource.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: { name: "web-1", namespace: "default", uid: "u-1" },
};

describe("event recorder", () => {
  let server: TestApiServer;
  let rest: RestClient;
  let events: ResourceClient<CoreEvent>;
  before(async () => {
    server = await startTestApiServer();
    rest = new RestClient(loadKubeconfig({ path: server.adminKubeconfig }));
    events = new ResourceClient<CoreEvent>(rest, EVENTS);
  });
  after(async () => {
    rest.close();
    await server?.stop();
  });

  it("turns repeated identical events into one Event whose count increases", async () => {
    const clock = new FakeClock(Date.parse("2026-11-22T05:00:00Z"));
    const recorder = new EventRecorder(events, {
      component: "test-controller",
      host: "node-a",
      clock,
    });
    for (let i = 0; i < 5; i++) {
      recorder.event(pod, {
        type: "Warning",
        reason: "BackOff",
        message: "Back-off restarting failed container",
      });
      clock.step(1000);
    }
    recorder.event(pod, { type: "Normal", reason: "Pulled", message: "Container image pulled" });
    await recorder.flush();
    const list = await events.list({ namespace: "default" });
    const backoff = list.items.filter((e) => e.reason === "BackOff");
    assert.equal(backoff.length, 1);
    const e = backoff[0] as CoreEvent;
    assert.equal(e.count, 5);
    assert.equal(e.firstTimestamp, "2026-11-22T05:00:00Z");
    assert.equal(e.lastTimestamp, "2026-11-22T05:00:04Z");
    assert.deepEqual(e.involvedObject, {
      kind: "Pod",
      apiVersion: "v1",
      namespace: "default",
      name: "web-1",
      uid: "u-1",
    });
    assert.deepEqual(e.source, { component: "test-controller", host: "node-a" });
    assert.equal(list.items.filter((x) => x.reason === "Pulled").length, 1);
  });

  it("drops an event storm beyond the per-object burst", async () => {
    const clock = new FakeClock(Date.parse("2026-11-22T06:00:00Z"));
    const recorder = new EventRecorder(events, {
      component: "storm",
      host: "node-a",
      clock,
      burst: 3,
    });
    const obj = { ...pod, metadata: { ...pod.metadata, name: "noisy", uid: "u-2" } };
    for (let i = 0; i < 50; i++)
      recorder.event(obj, { type: "Normal", reason: `R${i}`, message: `m${i}` });
    await recorder.flush();
    const list = await events.list({
      namespace: "default",
      fieldSelector: "involvedObject.name=noisy",
    });
    assert.equal(list.items.length, 3);
  });

  it("a flush with a deadline drops what a slow rate limiter has not sent yet", async () => {
    // One request a second: 30 events would take half a minute.
    const slow = new RestClient({
      ...loadKubeconfig({ path: server.adminKubeconfig }),
      qps: 1,
      burst: 1,
    });
    try {
      const recorder = new EventRecorder(new ResourceClient<CoreEvent>(slow, EVENTS), {
        component: "stopping",
        host: "node-a",
      });
      for (let i = 0; i < 30; i++) {
        recorder.event(
          { ...pod, metadata: { ...pod.metadata, name: `slow-${i}`, uid: `s-${i}` } },
          { type: "Normal", reason: "Started", message: `started ${i}` },
        );
      }
      const t0 = performance.now();
      await recorder.flush(1500);
      assert.ok(performance.now() - t0 < 3000, "flush waited past its deadline");
      await recorder.flush(); // the rest drain at once: dropped, not sent
      assert.ok(recorder.dropped >= 25, `dropped ${recorder.dropped}`);
      const sent = await events.list({ namespace: "default" });
      const names = sent.items.filter((e) => e.source?.component === "stopping");
      assert.ok(names.length <= 5 && names.length >= 1, `sent ${names.length}`);
    } finally {
      slow.close();
    }
  });
});
