/** The mount table of /proc/self/mountinfo (proc(5)). Pure. */

export interface MountEntry {
  mountPoint: string;
  fsType: string;
  source: string;
}

/** Undo mountinfo's octal escapes (`\040` is a space). */
function unescapeOctal(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, o: string) =>
    String.fromCharCode(Number.parseInt(o, 8)),
  );
}

/**
 * Entries of mountinfo text. A line is
 * `id parent major:minor root mountpoint options [optional...] - fstype source superoptions`.
 */
export function parseMountInfo(text: string): MountEntry[] {
  const entries: MountEntry[] = [];
  for (const line of text.split("\n")) {
    const fields = line.split(" ");
    const dash = fields.indexOf("-", 6);
    const mountPoint = fields[4];
    if (dash < 0 || mountPoint === undefined) continue;
    entries.push({
      mountPoint: unescapeOctal(mountPoint),
      fsType: fields[dash + 1] ?? "",
      source: unescapeOctal(fields[dash + 2] ?? ""),
    });
  }
  return entries;
}

/** Mount points at `dir` or beneath it, deepest first (the order to unmount them in). */
export function mountPointsUnder(entries: readonly MountEntry[], dir: string): string[] {
  const prefix = dir.endsWith("/") ? dir : `${dir}/`;
  const points = entries.map((e) => e.mountPoint).filter((p) => p === dir || p.startsWith(prefix));
  return [...new Set(points)].sort((a, b) => b.length - a.length || (a < b ? 1 : -1));
}
