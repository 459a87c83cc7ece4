/** Nodes: NAME STATUS ROLES AGE VERSION, wide addresses and node info. */
import type { Node } from "kubernetes-types/core/v1.js";
import { since } from "./duration.js";
import { AGE_COLUMN, column, NAME_COLUMN, nameOf, view, wide } from "./format.js";
import type { TablePrinter } from "./types.js";

const ROLE_PREFIX = "node-role.kubernetes.io/";
const ROLE_LABEL = "kubernetes.io/role";

/** Roles from `node-role.kubernetes.io/<role>` keys and the `kubernetes.io/role` value, sorted. */
export function nodeRoles(labels: Record<string, string> | undefined): string[] {
  const roles = new Set<string>();
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (key.startsWith(ROLE_PREFIX)) {
      const role = key.slice(ROLE_PREFIX.length);
      if (role !== "") roles.add(role);
    } else if (key === ROLE_LABEL && value !== "") {
      roles.add(value);
    }
  }
  return [...roles].sort();
}

/** `Ready`, `NotReady` or `Unknown` from the Ready condition, plus `SchedulingDisabled` when cordoned. */
function nodeStatus(node: Node): string {
  const ready = (node.status?.conditions ?? []).filter((c) => c.type === "Ready").at(-1);
  const status: string[] = [];
  if (ready) status.push(ready.status === "True" ? "Ready" : "NotReady");
  else status.push("Unknown");
  if (node.spec?.unschedulable) status.push("SchedulingDisabled");
  return status.join(",");
}

function address(node: Node, type: string): string {
  return node.status?.addresses?.find((a) => a.type === type)?.address ?? "<none>";
}

function orUnknown(s: string | undefined): string {
  return s ? s : "<unknown>";
}

export const nodePrinter: TablePrinter = {
  columns: [
    NAME_COLUMN,
    column("Status", { description: "Readiness of the node, and whether it is cordoned." }),
    column("Roles", { description: "Roles the node's labels give it." }),
    AGE_COLUMN,
    column("Version", { description: "Kubelet version the node reports." }),
    wide("Internal-IP", "The node's first InternalIP address."),
    wide("External-IP", "The node's first ExternalIP address."),
    wide("OS-Image", "Operating system image the node reports."),
    wide("Kernel-Version", "Kernel version the node reports."),
    wide("Container-Runtime", "Container runtime name and version the node reports."),
  ],
  row(obj, now) {
    const node = view<Node>(obj);
    const info = node.status?.nodeInfo;
    const roles = nodeRoles(obj.metadata?.labels);
    return [
      nameOf(obj),
      nodeStatus(node),
      roles.length === 0 ? "<none>" : roles.join(","),
      since(obj.metadata?.creationTimestamp, now),
      info?.kubeletVersion ?? "",
      address(node, "InternalIP"),
      address(node, "ExternalIP"),
      orUnknown(info?.osImage),
      orUnknown(info?.kernelVersion),
      orUnknown(info?.containerRuntimeVersion),
    ];
  },
};
