import type { Container, Pod } from "kubernetes-types/core/v1.js";
import type {
  RuntimeContainer,
  RuntimePod,
  RuntimeSandbox,
} from "../../../src/kubelet/cri/runtime-pod.js";
import { containerHash } from "../../../src/kubelet/pods/container-hash.js";
import { findContainerSpec } from "../../../src/kubelet/pods/containers.js";

export const c = (name: string, extra: Partial<Container> = {}): Container => ({
  name,
  image: "busybox",
  ...extra,
});

export function pod(
  spec: Partial<NonNullable<Pod["spec"]>> = {},
  meta: Partial<NonNullable<Pod["metadata"]>> = {},
): Pod {
  return {
    metadata: { name: "p", namespace: "default", uid: "u1", ...meta },
    spec: { containers: [c("app")], ...spec },
  };
}

export const sandbox = (extra: Partial<RuntimeSandbox> = {}): RuntimeSandbox => ({
  id: "s1",
  attempt: 0,
  state: "SANDBOX_READY",
  createdAt: 1000,
  ip: "10.88.0.2",
  hostNetwork: false,
  ...extra,
});

let seq = 0;
export function ctr(p: Pod, name: string, extra: Partial<RuntimeContainer> = {}): RuntimeContainer {
  const spec = findContainerSpec(p, name) ?? c(name);
  seq++;
  return {
    id: `c${seq}`,
    name,
    sandboxId: "s1",
    state: "CONTAINER_RUNNING",
    createdAt: 2000 + seq,
    startedAt: 2000 + seq,
    finishedAt: 0,
    exitCode: 0,
    image: spec.image ?? "",
    imageRef: "sha256:abc",
    hash: containerHash(spec),
    restartCount: 0,
    init: (p.spec?.initContainers ?? []).some((x) => x.name === name),
    logPath: "",
    ...extra,
  };
}

export const exited = (
  code: number,
  extra: Partial<RuntimeContainer> = {},
): Partial<RuntimeContainer> => ({
  state: "CONTAINER_EXITED",
  exitCode: code,
  finishedAt: 5000,
  ...extra,
});

export function rpod(sandboxes: RuntimeSandbox[], containers: RuntimeContainer[]): RuntimePod {
  return {
    uid: "u1",
    name: "p",
    namespace: "default",
    sandboxes,
    containers: [...containers].sort((a, b) => b.createdAt - a.createdAt),
  };
}
