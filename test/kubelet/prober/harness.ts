/** A probe manager on a fake clock and a fake runtime whose exec answers tests decide. */
import type { Container, Pod, Probe } from "kubernetes-types/core/v1.js";
import { FakeClock } from "../../../src/client/util/clock.js";
import { type ProbeEvent, ProbeManager } from "../../../src/kubelet/prober/index.js";
import type {
  ExecSyncRequest,
  ExecSyncResponse,
  PodSandboxConfig,
} from "../../../src/runtime/cri.js";
import { FakeImageService, FakeRuntimeService } from "../../../src/runtime/fake/index.js";

const enc = new TextEncoder();
const sandbox: PodSandboxConfig = { metadata: { name: "web", uid: "uid-1", namespace: "default" } };

/** Counts every exec, including those the fake refuses (unknown or stopped container). */
class CountingRuntime extends FakeRuntimeService {
  readonly execs: ExecSyncRequest[] = [];
  override async execSync(request: ExecSyncRequest): Promise<ExecSyncResponse> {
    this.execs.push(request);
    return super.execSync(request);
  }
}

export const UID = "uid-1";

/** An exec probe running `command` (tests answer by its first word). */
export function execProbe(command: string[], extra: Partial<Probe> = {}): Probe {
  return { exec: { command }, ...extra };
}

export function podWith(containers: Container[], extra: Partial<Pod["metadata"]> = {}): Pod {
  return {
    metadata: { name: "web", namespace: "default", uid: UID, ...extra },
    spec: { containers },
  };
}

export class Harness {
  readonly clock = new FakeClock(1_700_000_000_000);
  readonly runtime = new CountingRuntime({
    images: new FakeImageService({ preloaded: ["busybox"] }),
    now: () => BigInt(this.clock.now()) * 1_000_000n,
  });
  readonly changes: string[] = [];
  readonly events: ProbeEvent[] = [];
  /** Exit code for an exec: by container ID and the command's first word; default 0. */
  exitCode: (containerId: string, command: string) => number = () => 0;
  readonly manager: ProbeManager;
  #sandbox: Promise<string> | undefined;
  readonly #attempts = new Map<string, number>();

  constructor() {
    this.runtime.execHandler = (containerId, cmd) => {
      const code = this.exitCode(containerId, cmd[0] ?? "");
      return code === 0
        ? { stdout: enc.encode("ok"), stderr: new Uint8Array(), exitCode: 0 }
        : {
            stdout: new Uint8Array(),
            stderr: enc.encode(`cat: can't open '/tmp/healthy': No such file or directory`),
            exitCode: code,
          };
    };
    this.manager = new ProbeManager({
      runtime: this.runtime,
      clock: this.clock,
      onChange: (uid) => this.changes.push(uid),
      onEvent: (e) => this.events.push(e),
    });
  }

  /** A running container in the fake runtime; resolves to its ID. */
  async start(name = "app"): Promise<string> {
    this.#sandbox ??= this.runtime.runPodSandbox(sandbox);
    const sb = await this.#sandbox;
    const attempt = this.#attempts.get(name) ?? 0;
    this.#attempts.set(name, attempt + 1);
    const id = await this.runtime.createContainer(sb, {
      config: { metadata: { name, attempt }, image: { image: "busybox" } },
      sandboxConfig: sandbox,
    });
    await this.runtime.startContainer(id);
    return id;
  }

  /** Exec commands run so far against `containerId` (first words), or all. */
  commands(containerId?: string): string[] {
    return this.runtime.execs
      .filter((r) => containerId === undefined || r.containerId === containerId)
      .map((r) => r.cmd[0] ?? "");
  }

  /** Moves the fake clock `ms` forward in small steps, letting probes (async) finish between them. */
  async elapse(ms: number, stepMs = 100): Promise<void> {
    const end = this.clock.now() + ms;
    await flush();
    do {
      this.clock.step(Math.min(stepMs, end - this.clock.now()));
      await flush();
    } while (this.clock.now() < end);
  }
}

/** Lets pending promise chains (a probe attempt) run to the end. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
