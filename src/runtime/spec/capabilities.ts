/**
 * Capability sets from a CRI security context, as containerd computes them:
 * start from the default set, `add: [ALL]` grants every capability and
 * `drop: [ALL]` removes every one, then single names are added to
 * bounding/effective/permitted and dropped from all five sets. Privileged
 * containers get every capability regardless — every one the engine itself
 * holds when `available` says it lacks some (containerd's
 * WithAllCurrentCapabilities, for k8ts in a container). Ambient stays empty (Docker's
 * behaviour; Kubernetes defines no ambient capabilities).
 */
import type { Capability } from "../cri.js";
import { ALL_CAPABILITIES, DEFAULT_CAPABILITIES } from "./defaults.js";
import type { Capabilities } from "./types.js";

/** `net_admin`, `NET_ADMIN` and `CAP_NET_ADMIN` all name CAP_NET_ADMIN. */
export function capabilityName(name: string): string {
  const upper = name.toUpperCase();
  return upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
}

function withSets(set: readonly string[]): Capabilities {
  return {
    bounding: [...set],
    effective: [...set],
    inheritable: [],
    permitted: [...set],
    ambient: [],
  };
}

/** The process capabilities for a container (or the sandbox, with no `capabilities`). */
export function buildCapabilities(options: {
  capabilities?: Capability | undefined;
  /** Every capability, whatever add/drop say. Default false. */
  privileged?: boolean | undefined;
  /** What "every capability" means here (the engine's bounding set). Default ALL_CAPABILITIES. */
  available?: readonly string[] | undefined;
}): Capabilities {
  const all = options.available ?? ALL_CAPABILITIES;
  if (options.privileged) return withSets(all);
  const add = options.capabilities?.addCapabilities ?? [];
  const drop = options.capabilities?.dropCapabilities ?? [];
  const isAll = (c: string) => c.toUpperCase() === "ALL";
  let caps = withSets(DEFAULT_CAPABILITIES);
  if (add.some(isAll)) caps = withSets(all);
  if (drop.some(isAll)) caps = withSets([]);
  for (const name of add.filter((c) => !isAll(c)).map(capabilityName)) {
    for (const set of [caps.bounding, caps.effective, caps.permitted]) {
      if (!set.includes(name)) set.push(name);
    }
  }
  const dropped = new Set(drop.filter((c) => !isAll(c)).map(capabilityName));
  if (dropped.size > 0) {
    caps = {
      bounding: caps.bounding.filter((c) => !dropped.has(c)),
      effective: caps.effective.filter((c) => !dropped.has(c)),
      inheritable: caps.inheritable.filter((c) => !dropped.has(c)),
      permitted: caps.permitted.filter((c) => !dropped.has(c)),
      ambient: caps.ambient.filter((c) => !dropped.has(c)),
    };
  }
  return caps;
}
