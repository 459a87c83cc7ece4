/**
 * Mount points of other volumes nested beneath a read-only API-data volume
 * (upstream volumeutil.MakeNestedMountpoints): a container mounting a
 * configMap at /etc/app and an emptyDir at /etc/app/cache needs the
 * directory `cache` to exist inside the configMap volume, because the
 * runtime cannot create it in a read-only mount. Pure.
 */

import { posix } from "node:path";
import type { Pod } from "kubernetes-types/core/v1.js";
import { allContainers } from "../pods/containers.js";

/**
 * The directories (relative to the volume) to create in volume `name` so
 * that other mounts nested beneath it have a mount point; only the first
 * level of nesting (for /dir/a and /dir/a/b, only `a`).
 */
export function nestedMountpoints(name: string, pod: Pod): string[] {
  const out = new Set<string>();
  for (const container of allContainers(pod)) {
    const mounts = container.volumeMounts ?? [];
    const all = mounts.map((m) => posix.normalize(m.mountPath)).sort();
    const mine = mounts.filter((m) => m.name === name).map((m) => posix.normalize(m.mountPath));
    for (const mountPoint of mine) {
      if (mountPoint.startsWith("../"))
        throw new Error(`invalid container mount point ${mountPoint}`);
      const prefix = mountPoint.endsWith("/") ? mountPoint : `${mountPoint}/`;
      let previous = "";
      for (const mp of all) {
        if (!mp.startsWith(prefix)) continue;
        if (previous !== "" && mp.startsWith(previous)) continue;
        previous = `${mp}/`;
        out.add(mp.slice(prefix.length));
      }
    }
  }
  return [...out].filter((d) => d !== "");
}
