/** Checks of user-given paths: hostPath paths and volumeMount subPaths. Pure. */

/** Upstream ValidatePathNoBacksteps: no `..` element. */
export function backstepError(path: string): string | undefined {
  return path.split("/").includes("..") ? "must not contain '..'" : undefined;
}

/** Why a hostPath `path` cannot be used, or undefined (absolute, no `..`). */
export function hostPathError(path: string): string | undefined {
  if (!path.startsWith("/")) return `invalid HostPath \`${path}\`: must be an absolute path`;
  const backstep = backstepError(path);
  return backstep === undefined ? undefined : `invalid HostPath \`${path}\`: ${backstep}`;
}

/** Why a volumeMount `subPath` cannot be used, or undefined (relative, no `..`), worded as upstream makeMounts. */
export function subPathError(subPath: string): string | undefined {
  if (subPath.startsWith("/")) return `error SubPath \`${subPath}\` must not be an absolute path`;
  const backstep = backstepError(subPath);
  return backstep === undefined
    ? undefined
    : `unable to provision SubPath \`${subPath}\`: ${backstep}`;
}

/** Whether `path` is `root` or inside it (both resolved, absolute). */
export function isWithin(root: string, path: string): boolean {
  return path === root || path.startsWith(root.endsWith("/") ? root : `${root}/`);
}
