import assert from "node:assert/strict";
import { text } from "node:stream/consumers";
import { describe, it } from "node:test";
import type { PodSandboxConfig } from "../../../src/runtime/cri.js";
import {
  FakeImageService,
  FakeRuntimeService,
  FakeUnsupportedError,
  IpPool,
} from "../../../src/runtime/fake/index.js";
import { runtimeContract } from "../contract.js";

runtimeContract("fake", async () => {
  const images = new FakeImageService();
  return {
    runtime: new FakeRuntimeService({ images }),
    images,
    image: "busybox:1.36",
    command: ["sleep", "3600"],
    dispose: async () => {},
  };
});

const pod: PodSandboxConfig = { metadata: { name: "p", uid: "u", namespace: "default" } };

async function running(runtime: FakeRuntimeService, image = "busybox") {
  const sandbox = await runtime.runPodSandbox(pod);
  const id = await runtime.createContainer(sandbox, {
    config: { metadata: { name: "c" }, image: { image } },
    sandboxConfig: pod,
  });
  await runtime.startContainer(id);
  return { sandbox, id };
}

describe("fake runtime", () => {
  it("records a container's own exit with Completed or Error", async () => {
    const images = new FakeImageService({ preloaded: ["busybox"] });
    const runtime = new FakeRuntimeService({ images });
    const ok = await running(runtime);
    runtime.exit(ok.id, 0);
    let status = await runtime.containerStatus(ok.id);
    assert.equal(status.state, "CONTAINER_EXITED");
    assert.equal(status.reason, "Completed");
    const bad = await running(runtime);
    runtime.exit(bad.id, 3);
    status = await runtime.containerStatus(bad.id);
    assert.deepEqual([status.exitCode, status.reason], [3, "Error"]);
    assert.throws(() => runtime.exit(bad.id, 1), /not running/);
  });

  it("exits 143 on a graceful stop and 137 on an immediate kill", async () => {
    const runtime = new FakeRuntimeService({
      images: new FakeImageService({ preloaded: ["busybox"] }),
    });
    const a = await running(runtime);
    await runtime.stopContainer(a.id, 30);
    assert.equal((await runtime.containerStatus(a.id)).exitCode, 143);
    const b = await running(runtime);
    await runtime.stopContainer(b.id, 0);
    assert.equal((await runtime.containerStatus(b.id)).exitCode, 137);
  });

  it("answers exec through the installed handler, synchronously and streamed", async () => {
    const runtime = new FakeRuntimeService({
      images: new FakeImageService({ preloaded: ["busybox"] }),
    });
    const { id } = await running(runtime);
    const sync = await runtime.execSync({ containerId: id, cmd: ["true"] });
    assert.deepEqual([sync.exitCode, sync.stdout.length], [0, 0]);
    runtime.execHandler = (_, cmd) => ({
      stdout: new TextEncoder().encode(cmd.join(" ")),
      stderr: new TextEncoder().encode("warn"),
      exitCode: 2,
    });
    const session = await runtime.exec({
      containerId: id,
      cmd: ["echo", "hi"],
      stdout: true,
      stderr: true,
    });
    assert.equal(await text(session.stdout ?? process.stdin), "echo hi");
    assert.equal(await text(session.stderr ?? process.stdin), "warn");
    assert.deepEqual(await session.exited, { exitCode: 2 });
  });

  it("ends an attach session when the container stops", async () => {
    const runtime = new FakeRuntimeService({
      images: new FakeImageService({ preloaded: ["busybox"] }),
    });
    const { id } = await running(runtime);
    const session = await runtime.attach({
      containerId: id,
      stdout: true,
      tty: true,
      stderr: true,
    });
    assert.equal(session.stderr, undefined, "a tty merges stderr into stdout");
    const output = text(session.stdout ?? process.stdin);
    runtime.exit(id, 4);
    assert.deepEqual(await session.exited, { exitCode: 4 });
    assert.equal(await output, "");
  });

  it("says plainly that port-forward is not simulated", async () => {
    const runtime = new FakeRuntimeService({ images: new FakeImageService() });
    const sandbox = await runtime.runPodSandbox(pod);
    await assert.rejects(
      runtime.portForward({ podSandboxId: sandbox, port: 80 }),
      FakeUnsupportedError,
    );
  });

  it("reports the node IP for host-network sandboxes and frees pod IPs on stop", async () => {
    const runtime = new FakeRuntimeService({
      images: new FakeImageService(),
      podCidr: "10.9.0.0/30",
      nodeIp: "192.0.2.7",
    });
    const host = await runtime.runPodSandbox({
      ...pod,
      linux: { securityContext: { namespaceOptions: { network: "NODE" } } },
    });
    assert.equal((await runtime.podSandboxStatus(host)).network?.ip, "192.0.2.7");
    const first = await runtime.runPodSandbox(pod);
    assert.equal((await runtime.podSandboxStatus(first)).network?.ip, "10.9.0.2");
    await assert.rejects(runtime.runPodSandbox(pod), /no free IP/);
    await runtime.stopPodSandbox(first);
    const second = await runtime.runPodSandbox(pod);
    assert.equal((await runtime.podSandboxStatus(second)).network?.ip, "10.9.0.2");
  });
});

describe("fake image service", () => {
  it("normalises names, finds by tag, digest and ID, and removes", async () => {
    const images = new FakeImageService({ imageSize: 10, pinned: ["k8ts/pause:3.9"] });
    const id = await images.pullImage({ image: { image: "nginx:1.7.9" } });
    const image = await images.imageStatus({ image: "docker.io/library/nginx:1.7.9" });
    assert.equal(image?.id, id);
    assert.deepEqual(image?.repoTags, ["docker.io/library/nginx:1.7.9"]);
    const digestRef = image?.repoDigests[0] ?? "";
    assert.match(digestRef, /^docker\.io\/library\/nginx@sha256:[0-9a-f]{64}$/);
    assert.equal((await images.imageStatus({ image: digestRef }))?.id, id);
    assert.equal((await images.imageStatus({ image: id.slice("sha256:".length) }))?.id, id);
    assert.equal(await images.imageStatus({ image: "nginx:1.8" }), undefined);
    assert.equal(
      await images.pullImage({ image: { image: "nginx:1.7.9" } }),
      id,
      "same name, same ID",
    );

    await images.pullImage({ image: { image: "k8ts/pause:3.9" } });
    assert.equal((await images.imageStatus({ image: "k8ts/pause:3.9" }))?.pinned, true);
    const fs = await images.imageFsInfo();
    assert.equal(fs.imageFilesystems[0]?.usedBytes?.value, 20n);

    await images.removeImage({ image: "nginx:1.7.9" });
    assert.equal(await images.imageStatus({ image: id }), undefined);
    assert.deepEqual(images.pulls, [
      "docker.io/library/nginx:1.7.9",
      "docker.io/library/nginx:1.7.9",
      "docker.io/k8ts/pause:3.9",
    ]);
  });
});

describe("IP pool", () => {
  it("skips network, gateway and broadcast addresses and rejects bad CIDRs", () => {
    const pool = new IpPool("10.1.2.128/29");
    const got = ["a", "b", "c", "d", "e"].map((o) => pool.allocate(o));
    assert.deepEqual(got, ["10.1.2.130", "10.1.2.131", "10.1.2.132", "10.1.2.133", "10.1.2.134"]);
    assert.throws(() => pool.allocate("f"), /no free IP/);
    assert.equal(pool.allocate("c"), "10.1.2.132", "same owner, same IP");
    assert.throws(() => new IpPool("10.0.0.0"), /invalid pod CIDR/);
    assert.throws(() => new IpPool("300.0.0.0/16"), /invalid pod CIDR/);
  });
});
