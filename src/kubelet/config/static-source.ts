/**
 * Watches the static pod manifest directory (upstream polls every 20 s
 * besides inotify; k8ts polls every `intervalMs`, default 2 s): a file
 * added, changed or removed becomes a pod added, replaced (its uid is the
 * content hash) or removed. Bad files are reported once per content and
 * skipped, never fatal.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Pod } from "kubernetes-types/core/v1.js";
import { isManifestFile, parseManifest } from "./static-pods.js";

export interface StaticSourceOptions {
  readonly dir: string;
  readonly nodeName: string;
  readonly intervalMs?: number;
  /** The whole set of static pods, by uid, whenever it changes. */
  readonly onChange: (pods: Map<string, Pod>) => void;
  readonly onError?: (file: string, err: unknown) => void;
}

export class StaticPodSource {
  private timer: NodeJS.Timeout | undefined;
  private current = new Map<string, Pod>();
  private readonly files = new Map<
    string,
    { mtimeMs: number; size: number; pod: Pod | undefined }
  >();
  private running: Promise<void> | undefined;

  constructor(private readonly opts: StaticSourceOptions) {}

  async start(): Promise<void> {
    await this.scan();
    const tick = () => {
      this.running = this.scan().finally(() => {
        this.running = undefined;
        if (this.timer !== undefined) this.timer = setTimeout(tick, this.opts.intervalMs ?? 2000);
      });
    };
    this.timer = setTimeout(tick, this.opts.intervalMs ?? 2000);
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  pods(): Map<string, Pod> {
    return this.current;
  }

  async scan(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.opts.dir)).filter(isManifestFile).sort();
    } catch {
      names = [];
    }
    const seen = new Set<string>();
    for (const name of names) {
      const path = join(this.opts.dir, name);
      seen.add(path);
      let st: Awaited<ReturnType<typeof stat>>;
      try {
        st = await stat(path);
      } catch {
        continue;
      }
      if (!st.isFile()) continue;
      const known = this.files.get(path);
      if (known && known.mtimeMs === st.mtimeMs && known.size === st.size) continue;
      let pod: Pod | undefined;
      try {
        pod = parseManifest(await readFile(path, "utf8"), path, this.opts.nodeName);
      } catch (err) {
        this.opts.onError?.(path, err);
      }
      this.files.set(path, { mtimeMs: st.mtimeMs, size: st.size, pod });
    }
    for (const path of this.files.keys()) if (!seen.has(path)) this.files.delete(path);
    const next = new Map<string, Pod>();
    for (const { pod } of this.files.values())
      if (pod?.metadata?.uid) next.set(pod.metadata.uid, pod);
    const changed =
      next.size !== this.current.size || [...next.keys()].some((uid) => !this.current.has(uid));
    this.current = next;
    if (changed) this.opts.onChange(next);
  }
}
