/**
 * Reads every kubelet-made sandbox and container from the runtime and
 * groups them by pod (the PLEG's relist). Container statuses are cached:
 * an exited container never changes again, so a relist costs one list call
 * plus one status call per container that changed state.
 */
import {
  type Container,
  type ContainerStatus,
  CriNotFoundError,
  type PodSandbox,
  type RuntimeService,
} from "../../runtime/cri.js";
import {
  CONTAINER_HASH,
  CONTAINER_NAME,
  INIT_CONTAINER,
  POD_UID,
  podRefOf,
  RESTART_COUNT,
  TERMINATION_MESSAGE_PATH,
} from "./labels.js";
import {
  emptyRuntimePod,
  type RuntimeContainer,
  type RuntimePod,
  type RuntimeSandbox,
} from "./runtime-pod.js";

const ms = (ns: bigint) => Number(ns / 1_000_000n);

export class RuntimeReader {
  private readonly statuses = new Map<string, ContainerStatus>();
  private readonly sandboxIps = new Map<string, { ip: string; hostNetwork: boolean }>();

  constructor(private readonly runtime: RuntimeService) {}

  /** One pod's sandboxes and containers (empty when the runtime has none). */
  async readPod(uid: string, name = "", namespace = ""): Promise<RuntimePod> {
    const selector = { [POD_UID]: uid };
    const pods = await this.read(
      this.runtime.listPodSandbox({ labelSelector: selector }),
      this.runtime.listContainers({ labelSelector: selector }),
      false,
    );
    return pods.get(uid) ?? emptyRuntimePod(uid, name, namespace);
  }

  async readAll(): Promise<Map<string, RuntimePod>> {
    return this.read(this.runtime.listPodSandbox(), this.runtime.listContainers(), true);
  }

  private async read(
    sandboxList: Promise<PodSandbox[]>,
    containerList: Promise<Container[]>,
    everything: boolean,
  ): Promise<Map<string, RuntimePod>> {
    const [sandboxes, containers] = await Promise.all([sandboxList, containerList]);
    const pods = new Map<
      string,
      { pod: RuntimePod; sandboxes: RuntimeSandbox[]; containers: RuntimeContainer[] }
    >();
    const entry = (ref: { uid: string; name: string; namespace: string }) => {
      let e = pods.get(ref.uid);
      if (!e) {
        const sb: RuntimeSandbox[] = [];
        const cs: RuntimeContainer[] = [];
        e = { pod: { ...ref, sandboxes: sb, containers: cs }, sandboxes: sb, containers: cs };
        pods.set(ref.uid, e);
      }
      return e;
    };
    const liveSandboxes = new Set<string>();
    for (const s of sandboxes) {
      const ref = podRefOf(s);
      if (!ref) continue;
      liveSandboxes.add(s.id);
      entry(ref).sandboxes.push(await this.sandbox(s));
    }
    if (everything)
      for (const id of this.sandboxIps.keys())
        if (!liveSandboxes.has(id)) this.sandboxIps.delete(id);
    const live = new Set<string>();
    for (const c of containers) {
      const ref = podRefOf(c);
      if (!ref) continue;
      live.add(c.id);
      let status = this.statuses.get(c.id);
      // Running and exited statuses only change with the state; others are re-read.
      const stable = c.state === "CONTAINER_RUNNING" || c.state === "CONTAINER_EXITED";
      if (!status || status.state !== c.state || !stable) {
        try {
          status = await this.runtime.containerStatus(c.id);
        } catch (err) {
          if (err instanceof CriNotFoundError) continue;
          throw err;
        }
        this.statuses.set(c.id, status);
      }
      entry(ref).containers.push(toRuntimeContainer(c.podSandboxId, status));
    }
    if (everything)
      for (const id of this.statuses.keys()) if (!live.has(id)) this.statuses.delete(id);
    const out = new Map<string, RuntimePod>();
    for (const [uid, e] of pods) {
      e.sandboxes.sort((a, b) => b.createdAt - a.createdAt);
      e.containers.sort((a, b) => b.createdAt - a.createdAt || b.restartCount - a.restartCount);
      out.set(uid, e.pod);
    }
    return out;
  }

  private async sandbox(s: PodSandbox): Promise<RuntimeSandbox> {
    let net = this.sandboxIps.get(s.id);
    if (!net && s.state === "SANDBOX_READY") {
      try {
        const st = await this.runtime.podSandboxStatus(s.id);
        net = {
          ip: st.network?.ip ?? "",
          hostNetwork: st.linux?.namespaces?.options?.network === "NODE",
        };
        this.sandboxIps.set(s.id, net);
      } catch (err) {
        if (!(err instanceof CriNotFoundError)) throw err;
      }
    }
    return {
      id: s.id,
      attempt: s.metadata.attempt ?? 0,
      state: s.state,
      createdAt: ms(s.createdAt),
      ...(net?.ip ? { ip: net.ip } : {}),
      hostNetwork: net?.hostNetwork ?? false,
    };
  }

  /** Forgets cached state of a container (after it is removed). */
  forget(id: string): void {
    this.statuses.delete(id);
    this.sandboxIps.delete(id);
  }
}

export function toRuntimeContainer(sandboxId: string, s: ContainerStatus): RuntimeContainer {
  const a = s.annotations ?? {};
  const messageFile = a[TERMINATION_MESSAGE_PATH];
  return {
    id: s.id,
    name: s.labels?.[CONTAINER_NAME] ?? s.metadata.name,
    sandboxId,
    state: s.state,
    createdAt: ms(s.createdAt),
    startedAt: ms(s.startedAt),
    finishedAt: ms(s.finishedAt),
    exitCode: s.exitCode,
    ...(s.reason ? { reason: s.reason } : {}),
    ...(s.message ? { message: s.message } : {}),
    image: s.image.userSpecifiedImage ?? s.image.image,
    imageRef: s.imageRef,
    hash: a[CONTAINER_HASH] ?? "",
    restartCount: Number(a[RESTART_COUNT] ?? s.metadata.attempt ?? 0) || 0,
    init: a[INIT_CONTAINER] === "true",
    logPath: s.logPath,
    ...(messageFile ? { terminationMessageFile: messageFile } : {}),
  };
}
