/** A pod's container to the CRI ContainerConfig (upstream's generateContainerConfig), pure. */
import type { Container, Pod } from "kubernetes-types/core/v1.js";
import type {
  ContainerConfig,
  KeyValue,
  LinuxContainerSecurityContext,
  Mount,
} from "../../runtime/cri.js";
import { containerHash } from "../pods/container-hash.js";
import {
  CONTAINER_HASH,
  containerLabels,
  GRACE_PERIOD,
  INIT_CONTAINER,
  RESTART_COUNT,
  TERMINATION_MESSAGE_PATH,
  TERMINATION_MESSAGE_POLICY,
} from "./labels.js";
import { linuxResources } from "./resources.js";
import { namespaceOptions, podRef } from "./sandbox-config.js";

export interface ContainerInputs {
  readonly restartCount: number;
  readonly init: boolean;
  /** The image reference to run (resolved by the image manager). */
  readonly image: string;
  readonly command: string[];
  readonly args: string[];
  readonly envs: KeyValue[];
  readonly mounts: Mount[];
  readonly memoryCapacity: number;
  /** Host file mounted at the termination message path. */
  readonly terminationMessageFile?: string;
}

function securityContext(pod: Pod, c: Container): LinuxContainerSecurityContext {
  const psc = pod.spec?.securityContext;
  const sc = c.securityContext ?? {};
  const runAsUser = sc.runAsUser ?? psc?.runAsUser;
  const runAsGroup = sc.runAsGroup ?? psc?.runAsGroup;
  return {
    namespaceOptions: namespaceOptions(pod),
    ...(sc.privileged ? { privileged: true } : {}),
    ...(sc.capabilities
      ? {
          capabilities: {
            ...(sc.capabilities.add ? { addCapabilities: sc.capabilities.add } : {}),
            ...(sc.capabilities.drop ? { dropCapabilities: sc.capabilities.drop } : {}),
          },
        }
      : {}),
    ...(runAsUser !== undefined ? { runAsUser: { value: runAsUser } } : {}),
    ...(runAsGroup !== undefined ? { runAsGroup: { value: runAsGroup } } : {}),
    ...(sc.readOnlyRootFilesystem ? { readonlyRootfs: true } : {}),
    ...(psc?.supplementalGroups ? { supplementalGroups: psc.supplementalGroups } : {}),
    ...(sc.allowPrivilegeEscalation === false ? { noNewPrivs: true } : {}),
  };
}

export function containerConfig(pod: Pod, c: Container, inputs: ContainerInputs): ContainerConfig {
  const mounts = [...inputs.mounts];
  const messagePath = c.terminationMessagePath ?? "/dev/termination-log";
  if (inputs.terminationMessageFile && !mounts.some((m) => m.containerPath === messagePath))
    mounts.push({ containerPath: messagePath, hostPath: inputs.terminationMessageFile });
  return {
    metadata: { name: c.name, attempt: inputs.restartCount },
    image: { image: inputs.image, userSpecifiedImage: c.image ?? "" },
    ...(inputs.command.length ? { command: inputs.command } : {}),
    ...(inputs.args.length ? { args: inputs.args } : {}),
    ...(c.workingDir ? { workingDir: c.workingDir } : {}),
    envs: inputs.envs,
    mounts,
    labels: containerLabels(podRef(pod), c.name),
    annotations: {
      [CONTAINER_HASH]: containerHash(c),
      [RESTART_COUNT]: String(inputs.restartCount),
      [TERMINATION_MESSAGE_PATH]: inputs.terminationMessageFile ?? "",
      [TERMINATION_MESSAGE_POLICY]: c.terminationMessagePolicy ?? "File",
      [GRACE_PERIOD]: String(pod.spec?.terminationGracePeriodSeconds ?? 30),
      [INIT_CONTAINER]: String(inputs.init),
    },
    logPath: `${c.name}/${inputs.restartCount}.log`,
    ...(c.stdin ? { stdin: true } : {}),
    ...(c.stdinOnce ? { stdinOnce: true } : {}),
    ...(c.tty ? { tty: true } : {}),
    linux: {
      resources: linuxResources(pod, c, inputs.memoryCapacity),
      securityContext: securityContext(pod, c),
    },
  };
}
