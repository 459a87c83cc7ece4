/**
 * A runc engine on a temporary state directory with one running pod
 * sandbox, for root suites about containers: made in the suite's `before`,
 * and everything it holds (sandboxes, containers, mounts, files) removed
 * in its `after`, even when tests failed. Call inside `describe`.
 */
import { join } from "node:path";
import { after, before } from "node:test";
import type { PodSandboxConfig } from "../../../src/runtime/cri.js";
import { Engine } from "../../../src/runtime/engine/index.js";
import { ImageStore } from "../../../src/runtime/images/index.js";
import { tempDir } from "../../support/tmp.js";

export interface SandboxFixture {
  /** Set once the suite's `before` ran. */
  engine: Engine;
  sandbox: string;
  readonly pod: PodSandboxConfig;
}

export function sandboxFixture(
  label: string,
  /** Stores the images the suite runs. */
  prepareImages: (images: ImageStore) => Promise<void>,
): SandboxFixture {
  const dir = tempDir(label);
  const fixture = {
    pod: { metadata: { name: label, uid: `uid-${label}`, namespace: "default" }, hostname: label },
    sandbox: "",
  } as SandboxFixture;
  before(async () => {
    const images = await ImageStore.open(join(dir.path, "images"));
    await prepareImages(images);
    fixture.engine = new Engine({ stateDir: join(dir.path, "state"), images, nodeIp: "192.0.2.1" });
    fixture.sandbox = await fixture.engine.runPodSandbox(fixture.pod);
  });
  after(async () => {
    for (const s of (await fixture.engine?.listPodSandbox()) ?? []) {
      await fixture.engine.removePodSandbox(s.id).catch(() => {});
    }
    dir.remove();
  });
  return fixture;
}
