/**
 * Container log layout and rotation, as the kubelet's container log manager
 * does them:
 *
 * - logs live at `/var/log/pods/<namespace>_<pod>_<uid>/<container>/<restartCount>.log`;
 * - once the current log reaches `maxSize` bytes it is renamed to
 *   `<log>.<YYYYMMDD-hhmmss>` (the kubelet's local time) and the runtime
 *   reopens a fresh `<log>`;
 * - before that, leftovers of failed rotations go (`*.tmp`, and plain files
 *   whose `.gz` exists), the oldest rotated files go until at most
 *   `maxFiles - 2` remain (the current log and the one being rotated make
 *   up the rest), and the remaining rotated files are gzip-compressed
 *   (`<log>.<stamp>.gz`) — the newest rotated file stays uncompressed until
 *   the next rotation so readers can finish it.
 *
 * Pure decisions here; files.ts carries them out.
 */
import { posix } from "node:path";

/** The kubelet's default log directory root. */
export const POD_LOGS_ROOT = "/var/log/pods";
export const COMPRESS_SUFFIX = ".gz";
export const TMP_SUFFIX = ".tmp";

/** `/var/log/pods/<namespace>_<name>_<uid>` */
export function podLogsDirectory(options: {
  namespace: string;
  name: string;
  uid: string;
  /** Default /var/log/pods. */
  root?: string;
}): string {
  return posix.join(
    options.root ?? POD_LOGS_ROOT,
    `${options.namespace}_${options.name}_${options.uid}`,
  );
}

/** The CRI logPath of a container, relative to its pod's log directory: `<container>/<restartCount>.log`. */
export function containerLogPath(containerName: string, restartCount: number): string {
  return posix.join(containerName, `${restartCount}.log`);
}

/** `20231130-101010` for a time, in local time (as the kubelet) or UTC. */
export function rotationStamp(date: Date, options: { utc?: boolean } = {}): string {
  const p = (n: number) => String(n).padStart(2, "0");
  const u = options.utc ?? false;
  const y = u ? date.getUTCFullYear() : date.getFullYear();
  const mo = (u ? date.getUTCMonth() : date.getMonth()) + 1;
  const d = u ? date.getUTCDate() : date.getDate();
  const h = u ? date.getUTCHours() : date.getHours();
  const mi = u ? date.getUTCMinutes() : date.getMinutes();
  const s = u ? date.getUTCSeconds() : date.getSeconds();
  return `${y}${p(mo)}${p(d)}-${p(h)}${p(mi)}${p(s)}`;
}

/** Splits `<log>.*` files into those still holding log data and leftovers to delete. */
export function partitionRotated(files: readonly string[]): { inUse: string[]; unused: string[] } {
  const all = new Set(files);
  const inUse: string[] = [];
  const unused: string[] = [];
  for (const f of files) {
    if (f.endsWith(TMP_SUFFIX)) unused.push(f);
    else if (f.endsWith(COMPRESS_SUFFIX)) inUse.push(f);
    else if (all.has(f + COMPRESS_SUFFIX)) unused.push(f);
    else inUse.push(f);
  }
  return { inUse, unused };
}

/** Every file of a container's log, oldest first, the current one last (the kubelet's GetAllLogs). */
export function allLogs(logPath: string, rotated: readonly string[]): string[] {
  return [...partitionRotated(rotated).inUse].sort().concat(logPath);
}

/** The policy: rotate at maxSize bytes, keep at most maxFiles files (kubelet containerLogMaxSize, containerLogMaxFiles). */
export interface RotationPolicy {
  /** Default 10 MiB; zero or negative disables rotation. */
  maxSize: number;
  /** At least 2. Default 5. */
  maxFiles: number;
}

export const DEFAULT_ROTATION_POLICY: RotationPolicy = { maxSize: 10 * 1024 * 1024, maxFiles: 5 };

/** What to do to one container log, in order: delete, compress, then rename `from` to `to`. */
export interface RotationPlan {
  remove: string[];
  compress: string[];
  rename: { from: string; to: string };
}

/**
 * The steps to rotate `logPath`, or undefined when it is below maxSize.
 * `rotated` are the existing `<logPath>.*` paths.
 */
export function planRotation(options: {
  logPath: string;
  /** Current size of logPath in bytes. */
  size: number;
  rotated: readonly string[];
  policy?: RotationPolicy;
  now: Date;
  /** Stamp in UTC instead of local time. Default false. */
  utc?: boolean;
}): RotationPlan | undefined {
  const policy = options.policy ?? DEFAULT_ROTATION_POLICY;
  if (policy.maxSize <= 0 || options.size < policy.maxSize) return undefined;
  const own = options.rotated.filter((f) => f.startsWith(`${options.logPath}.`));
  const { inUse, unused } = partitionRotated(own);
  const sorted = [...inUse].sort();
  const keep = Math.max(0, policy.maxFiles - 2);
  const excess = sorted.slice(0, Math.max(0, sorted.length - keep));
  const kept = sorted.slice(excess.length);
  return {
    remove: [...unused, ...excess],
    compress: kept.filter((f) => !f.endsWith(COMPRESS_SUFFIX)),
    rename: {
      from: options.logPath,
      to: `${options.logPath}.${rotationStamp(options.now, options.utc ? { utc: true } : {})}`,
    },
  };
}
