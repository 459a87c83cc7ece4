/**
 * Volume types: which one a pod volume is, the directory its plugin keeps
 * pod volumes in (upstream escapes `kubernetes.io/empty-dir` to
 * `kubernetes.io~empty-dir`), and whether containers must mount it
 * read-only. Pure.
 */
import type { Volume } from "kubernetes-types/core/v1.js";

/** Volume types whose contents the volume manager writes into a directory of the pod. */
export const PLUGIN_DIRS = {
  emptyDir: "kubernetes.io~empty-dir",
  configMap: "kubernetes.io~configmap",
  secret: "kubernetes.io~secret",
  downwardAPI: "kubernetes.io~downward-api",
  projected: "kubernetes.io~projected",
} as const;

export type DirPlugin = keyof typeof PLUGIN_DIRS;

/** Volume types backed by the atomic writer (API data, read-only to containers). */
export type ApiDataPlugin = Exclude<DirPlugin, "emptyDir">;

const API_DATA: ReadonlySet<string> = new Set(["configMap", "secret", "downwardAPI", "projected"]);

/** The source field a volume sets (`emptyDir`, `nfs`, …); a volume without one is an emptyDir, as upstream defaults it. */
export function volumeType(volume: Volume): string {
  for (const [key, value] of Object.entries(volume)) {
    if (key !== "name" && value !== undefined && value !== null) return key;
  }
  return "emptyDir";
}

/** Whether containers get the volume read-only whatever their volumeMount says (upstream Attributes.ReadOnly). */
export function mustMountReadOnly(volume: Volume): boolean {
  const type = volumeType(volume);
  if (API_DATA.has(type)) return true;
  if (type === "persistentVolumeClaim") return volume.persistentVolumeClaim?.readOnly === true;
  return false;
}

/** Pod volume names become directory names: refuse anything that is not one plain name. */
export function invalidVolumeName(name: string): string | undefined {
  if (name === "" || name === "." || name === ".." || name.includes("/") || name.includes("\0"))
    return `invalid volume name "${name}"`;
  return undefined;
}
