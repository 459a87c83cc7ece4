/**
 * The volume manager: sets up the volumes of a pod under
 * `<podsDir>/<uid>/volumes/<plugin>/<name>` and tears them down.
 *
 * setUpPod first plans every volume (reads the secrets, configMaps, claims
 * and tokens, computes every file); a pod that cannot start fails there
 * with nothing written. It then checks host paths, and only then creates
 * directories, mounts tmpfs and publishes files. A volume it created in the
 * failed call is removed again; an existing volume keeps its published
 * contents when a refresh fails.
 */
import { chmod, lstat, mkdir, realpath, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Pod } from "kubernetes-types/core/v1.js";
import { writeAtomically } from "./atomic-writer.js";
import { setUpFailed, VolumeError, VolumeInvariantError } from "./errors.js";
import { checkHostPath, checkLocalPath } from "./host-path.js";
import { isMountPoint, mountsUnder, mountTmpfs, unmount } from "./mounter.js";
import { applyFsGroup } from "./ownership.js";
import { planPod, type VolumePlan } from "./plan.js";
import { type DirPlugin, PLUGIN_DIRS } from "./plugins.js";
import type { NodeAllocatable } from "./resource-field.js";
import { fsGroupOf } from "./security.js";
import type { VolumeSources } from "./sources.js";

export interface VolumeManagerOptions {
  /** The kubelet's pods directory (upstream /var/lib/kubelet/pods). */
  podsDir: string;
  /** Where secrets, configMaps, claims, volumes and tokens are read from. */
  sources: VolumeSources;
  /**
   * The node's allocatable resources: the value of unset limits in downward
   * API resource fields, and the upper bound of memory-backed volumes.
   * Default: none (unset limits read as 0, tmpfs size is the kernel default).
   */
  nodeAllocatable?: NodeAllocatable;
}

/** emptyDir and the wrapped directories of API-data volumes are world-writable (upstream emptyDir perm). */
const VOLUME_DIR_MODE = 0o777;

function checkUid(uid: string | undefined): string {
  if (uid === undefined || uid === "") throw new VolumeError("pod has no metadata.uid");
  if (uid === "." || uid === ".." || uid.includes("/") || uid.includes("\0"))
    throw new VolumeError(`invalid pod uid "${uid}"`);
  return uid;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw err;
  }
}

/** Host checks come first so a bad hostPath fails before any pod directory is made. */
function isHostPlan(plan: VolumePlan): boolean {
  return plan.kind === "hostPath" || plan.kind === "local";
}

export class VolumeManager {
  readonly #podsDir: string;
  readonly #sources: VolumeSources;
  readonly #nodeAllocatable: NodeAllocatable | undefined;
  /** The last operation on each pod uid: operations on one pod run one at a time. */
  readonly #queues = new Map<string, Promise<void>>();

  constructor(opts: VolumeManagerOptions) {
    this.#podsDir = opts.podsDir;
    this.#sources = opts.sources;
    this.#nodeAllocatable = opts.nodeAllocatable;
  }

  /** `<podsDir>/<uid>/volumes`. */
  podVolumesDir(podUid: string): string {
    return join(this.#podsDir, checkUid(podUid), "volumes");
  }

  /**
   * Sets up (or refreshes) every volume of the pod; returns volume name →
   * host path to bind-mount, in spec order. Idempotent. Throws VolumeError.
   */
  async setUpPod(pod: Pod): Promise<Map<string, string>> {
    const uid = checkUid(pod.metadata?.uid);
    return this.#serialized(uid, () => this.#setUp(pod, uid));
  }

  /** Unmounts what is mounted beneath the pod's volumes directory and removes it. Never follows into host paths. */
  async tearDownPod(podUid: string): Promise<void> {
    const uid = checkUid(podUid);
    return this.#serialized(uid, () => this.#tearDown(uid));
  }

  #serialized<T>(uid: string, op: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(uid) ?? Promise.resolve();
    const result = previous.then(op);
    const done = result.then(
      () => undefined,
      () => undefined,
    );
    this.#queues.set(uid, done);
    void done.then(() => {
      if (this.#queues.get(uid) === done) this.#queues.delete(uid);
    });
    return result;
  }

  async #setUp(pod: Pod, uid: string): Promise<Map<string, string>> {
    const plans = await planPod(pod, {
      sources: this.#sources,
      nodeAllocatable: this.#nodeAllocatable,
    });
    const paths = new Map<string, string>();
    for (const plan of [...plans.filter(isHostPlan), ...plans.filter((p) => !isHostPlan(p))])
      paths.set(plan.name, await this.#materialize(pod, uid, plan));
    return new Map(
      plans.map((p) => {
        const path = paths.get(p.name);
        if (path === undefined) throw new VolumeInvariantError(`volume "${p.name}" was not set up`);
        return [p.name, path];
      }),
    );
  }

  async #materialize(pod: Pod, uid: string, plan: VolumePlan): Promise<string> {
    try {
      switch (plan.kind) {
        case "hostPath":
          await checkHostPath(plan.path, plan.type);
          return plan.path;
        case "local":
          await checkLocalPath(plan.path);
          return plan.path;
        case "emptyDir":
        case "apiData":
          return await this.#setUpDir(pod, uid, plan);
      }
    } catch (err) {
      throw setUpFailed(plan.name, err);
    }
  }

  async #setUpDir(
    pod: Pod,
    uid: string,
    plan: Extract<VolumePlan, { kind: "emptyDir" | "apiData" }>,
  ): Promise<string> {
    const plugin: DirPlugin = plan.kind === "emptyDir" ? "emptyDir" : plan.plugin;
    const dir = join(this.podVolumesDir(uid), PLUGIN_DIRS[plugin], plan.name);
    const created = !(await exists(dir));
    let mounted = false;
    try {
      if (created) {
        await mkdir(dir, { recursive: true });
        await chmod(dir, VOLUME_DIR_MODE);
      }
      if (plan.memory) {
        const real = await realpath(dir);
        if (!(await isMountPoint(real))) {
          await mountTmpfs(real, plan.sizeBytes);
          mounted = true;
        }
      }
      const fsGroup = fsGroupOf(pod);
      if (plan.kind === "emptyDir") {
        if ((created || mounted) && fsGroup !== undefined)
          await applyFsGroup(dir, { gid: fsGroup, readOnly: false });
        return dir;
      }
      for (const nested of plan.nested)
        await mkdir(join(dir, nested), { recursive: true, mode: 0o755 });
      await writeAtomically(dir, plan.payload, {
        ...(fsGroup === undefined
          ? {}
          : { setPerms: () => applyFsGroup(dir, { gid: fsGroup, readOnly: true }) }),
      });
      return dir;
    } catch (err) {
      if (mounted) await unmount(await realpath(dir)).catch(() => undefined);
      if (created) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
  }

  async #tearDown(uid: string): Promise<void> {
    const volumesDir = this.podVolumesDir(uid);
    if (!(await exists(volumesDir))) return;
    const real = await realpath(volumesDir);
    for (const mountPoint of await mountsUnder(real)) await unmount(mountPoint);
    const left = await mountsUnder(real);
    if (left.length > 0)
      throw new VolumeError(`cannot remove ${volumesDir}: still mounted: ${left.join(", ")}`, {
        reason: "FailedUnmount",
      });
    await rm(volumesDir, { recursive: true, force: true });
  }
}
