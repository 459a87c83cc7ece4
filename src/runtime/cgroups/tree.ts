/**
 * Creating, writing and removing one cgroup path in every hierarchy of
 * this host, the way runc's cgroupfs managers do it:
 *
 * - cgroup v1 has one hierarchy per controller, so the path is made in
 *   each (a process joins all of them); a new cpuset cgroup starts with no
 *   CPUs and no memory nodes, and no task may join it until cpuset.cpus
 *   and cpuset.mems are filled in, so they are copied from the parent.
 * - cgroup v2 has one hierarchy; a child only gets a controller's files
 *   when its parent lists the controller in cgroup.subtree_control, so
 *   every level is given the controllers its own cgroup.controllers
 *   offers. The kernel refuses that (EBUSY) in a non-root cgroup that has
 *   processes of its own, which is why processes only ever sit in leaves.
 *
 * Removal is rmdir, children first: cgroupfs lets a directory go once no
 * process and no child cgroup is left in it, whatever its interface files.
 */
import type { Dirent } from "node:fs";
import { mkdir, readdir, readFile, rmdir, writeFile } from "node:fs/promises";
import { join, posix } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { CgroupFiles } from "./mapping.js";
import type { CgroupLayout } from "./mode.js";

export class CgroupTreeError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** The levels of an absolute cgroup path: `/a/b` → `["/a", "/a/b"]`. */
export function cgroupLevels(path: string): string[] {
  const parts = posix.normalize(`/${path}`).split("/").filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join("/")}`);
}

export class CgroupTree {
  readonly #layout: CgroupLayout;

  constructor(layout: CgroupLayout) {
    this.#layout = layout;
  }

  get unified(): boolean {
    return this.#layout.mode === "unified";
  }

  /** Each hierarchy's mount point once (v1 controllers co-mounted share one). */
  mounts(): string[] {
    const all = this.unified ? [] : Object.values(this.#layout.v1);
    if (this.#layout.unified !== undefined) all.push(this.#layout.unified);
    return [...new Set(all)];
  }

  /** Where existence is judged and children are listed: the memory (or unified) hierarchy. */
  #primary(): string {
    const mount = this.unified ? this.#layout.unified : this.#layout.v1.memory;
    if (mount === undefined) throw new CgroupTreeError("this host has no memory cgroup hierarchy");
    return mount;
  }

  async exists(path: string): Promise<boolean> {
    return readdir(join(this.#primary(), path)).then(
      () => true,
      () => false,
    );
  }

  /** Names of the child cgroups of `path` (none when it does not exist). */
  async children(path: string): Promise<string[]> {
    try {
      const entries = await readdir(join(this.#primary(), path), { withFileTypes: true });
      return entries.filter((e) => e.isDirectory()).map((e) => e.name);
    } catch (error) {
      if (code(error) === "ENOENT") return [];
      throw error;
    }
  }

  /** Makes `path` (and its parents) in every hierarchy, ready to hold child cgroups. */
  async create(path: string): Promise<void> {
    if (this.unified) return this.#createUnified(path);
    for (const mount of this.mounts()) {
      for (const level of cgroupLevels(path)) {
        const dir = join(mount, level);
        await mkdir(dir).catch((error: unknown) => {
          if (code(error) !== "EEXIST") throw error;
        });
        if (mount === this.#layout.v1.cpuset) await this.#inheritCpuset(dir);
      }
    }
  }

  async #inheritCpuset(dir: string): Promise<void> {
    for (const file of ["cpuset.cpus", "cpuset.mems"]) {
      const own = (await readFile(join(dir, file), "utf8").catch(() => "")).trim();
      if (own !== "") continue;
      const parent = (await readFile(join(dir, "..", file), "utf8")).trim();
      await writeFile(join(dir, file), parent);
    }
  }

  async #createUnified(path: string): Promise<void> {
    const root = this.#primary();
    const levels = ["/", ...cgroupLevels(path)];
    for (const [i, level] of levels.entries()) {
      const dir = join(root, level);
      if (i > 0) {
        await mkdir(dir).catch((error: unknown) => {
          if (code(error) !== "EEXIST") throw error;
        });
      }
      const words = async (file: string) =>
        (await readFile(join(dir, file), "utf8").catch(() => "")).split(/\s+/).filter(Boolean);
      const enabled = new Set(await words("cgroup.subtree_control"));
      // Only what is missing: rewriting enabled ones is a no-op, but not in a cgroup with tasks.
      const missing = (await words("cgroup.controllers")).filter((c) => !enabled.has(c));
      if (missing.length === 0) continue;
      try {
        await writeFile(join(dir, "cgroup.subtree_control"), missing.map((c) => `+${c}`).join(" "));
      } catch (error) {
        throw new CgroupTreeError(
          `enabling ${missing.join(" ")} in ${dir}/cgroup.subtree_control: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
  }

  /** Writes `files` (as cgroupV1Files / cgroupV2Files name them) in `path`. */
  async write(path: string, files: CgroupFiles): Promise<void> {
    for (const [name, value] of Object.entries(files)) {
      let file: string;
      if (this.unified) file = join(this.#primary(), path, name);
      else {
        const slash = name.indexOf("/");
        const mount = this.#layout.v1[name.slice(0, slash)];
        if (mount === undefined) continue; // a controller this host does not mount
        file = join(mount, path, name.slice(slash + 1));
      }
      try {
        await writeFile(file, value);
      } catch (error) {
        throw new CgroupTreeError(`writing ${value} to ${file}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
  }

  /**
   * Removes `path` and every cgroup below it in every hierarchy; processes
   * still inside are SIGKILLed first (as the kubelet does for a pod's
   * cgroup). Idempotent.
   */
  async remove(path: string): Promise<void> {
    for (const mount of this.mounts()) await removeDir(join(mount, path));
  }
}

async function removeDir(dir: string): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (code(error) === "ENOENT") return;
    throw error;
  }
  for (const e of entries) if (e.isDirectory()) await removeDir(join(dir, e.name));
  for (let attempt = 0; ; attempt++) {
    try {
      await rmdir(dir);
      return;
    } catch (error) {
      if (code(error) === "ENOENT") return;
      if (code(error) !== "EBUSY" || attempt >= 50) throw error;
    }
    await killMembers(dir);
    await sleep(20);
  }
}

/** SIGKILLs the processes of one cgroup (they must go before it can). */
async function killMembers(dir: string): Promise<void> {
  const procs = await readFile(join(dir, "cgroup.procs"), "utf8").catch(() => "");
  for (const pid of procs.split("\n")) {
    if (!/^[0-9]+$/.test(pid)) continue;
    try {
      process.kill(Number(pid), "SIGKILL");
    } catch {
      // Already gone.
    }
  }
}
