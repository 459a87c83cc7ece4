// Root suite: two containers in one pod sandbox share its localhost, a bind-mounted
// directory and, with a shared PID namespace, each other's processes and the pause.
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import type { ContainerConfig, NamespaceMode, PodSandboxConfig } from "../../../src/runtime/cri.js";
import { Engine } from "../../../src/runtime/engine/index.js";
import { ImageStore } from "../../../src/runtime/images/index.js";
import { storeBusyboxImage } from "../../support/busybox-image.js";
import { tempDir } from "../../support/tmp.js";

const IMAGE = "k8ts.test/busybox:1";

describe("a pod of two containers", () => {
  const dir = tempDir("pod");
  const shared = join(dir.path, "shared");
  let engine: Engine;

  const pod = (name: string, pid: NamespaceMode): PodSandboxConfig => ({
    metadata: { name, uid: `uid-${name}`, namespace: "default" },
    hostname: name,
    logDirectory: join(dir.path, "pods", name),
    linux: { securityContext: { namespaceOptions: { pid } } },
  });
  const container = (name: string, script: string, pid: NamespaceMode): ContainerConfig => ({
    metadata: { name },
    image: { image: IMAGE },
    command: ["/bin/sh", "-c", script],
    logPath: `${name}/0.log`,
    mounts: [{ hostPath: shared, containerPath: "/shared" }],
    linux: { securityContext: { namespaceOptions: { pid } } },
  });
  async function runPod(
    name: string,
    pid: NamespaceMode,
  ): Promise<{ server: string; client: string }> {
    const config = pod(name, pid);
    const sandbox = await engine.runPodSandbox(config);
    const ids: string[] = [];
    for (const [cname, script] of [
      ["server", "exec busybox httpd -f -p 127.0.0.1:8080 -h /shared"],
      ["client", "exec sleep 1000"],
    ] as const) {
      const id = await engine.createContainer(sandbox, {
        config: container(cname, script, pid),
        sandboxConfig: config,
      });
      await engine.startContainer(id);
      ids.push(id);
    }
    return { server: ids[0] ?? "", client: ids[1] ?? "" };
  }
  const run = async (containerId: string, script: string) => {
    const r = await engine.execSync({ containerId, cmd: ["/bin/sh", "-c", script], timeout: 20 });
    return { out: Buffer.from(r.stdout).toString(), code: r.exitCode };
  };

  before(async () => {
    mkdirSync(shared);
    const images = await ImageStore.open(join(dir.path, "images"));
    await storeBusyboxImage(images, IMAGE);
    engine = new Engine({ stateDir: join(dir.path, "state"), images, nodeIp: "192.0.2.1" });
  });
  after(async () => {
    for (const s of (await engine?.listPodSandbox()) ?? [])
      await engine.removePodSandbox(s.id).catch(() => {});
    dir.remove();
  });

  it("reach each other on localhost and share a bind-mounted directory, each with its own PID 1", async () => {
    const { server, client } = await runPod("pair", "CONTAINER");
    // The client writes into the shared directory; the server serves it on the pod's loopback.
    assert.equal((await run(client, "echo from-the-client > /shared/index.html")).code, 0);
    let body = "";
    for (let i = 0; i < 100 && body !== "from-the-client\n"; i++) {
      body = (await run(client, "busybox wget -q -O- http://127.0.0.1:8080/ 2>/dev/null")).out;
      if (body !== "from-the-client\n") await sleep(100);
    }
    assert.equal(body, "from-the-client\n");
    assert.equal(
      (await run(server, "cat /proc/1/cmdline | tr '\\0' ' '")).out,
      "busybox httpd -f -p 127.0.0.1:8080 -h /shared ",
    );
    assert.equal((await run(client, "cat /proc/1/cmdline | tr '\\0' ' '")).out, "sleep 1000 ");
  });

  it("with a shared PID namespace see each other's processes and the pause as PID 1", async () => {
    const { server, client } = await runPod("shared-pid", "POD");
    for (const id of [server, client]) {
      const ps = (await run(id, "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done"))
        .out;
      assert.match(ps, /catatonit/, "the pause process");
      assert.match(ps, /busybox httpd -f -p 127\.0\.0\.1:8080/, "the server");
      assert.match(ps, /sleep 1000/, "the client");
      assert.match(
        (await run(id, "tr '\\0' ' ' < /proc/1/cmdline")).out,
        /catatonit/,
        "PID 1 is the pause",
      );
    }
  });
});
