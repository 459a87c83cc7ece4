/**
 * The process user from the image's /etc/passwd and /etc/group, as runc's
 * and containerd's user lookup: a name or numeric uid (`nginx`, `101`,
 * `101:101`, `nginx:nginx`), its primary gid from passwd, and with the
 * `Merge` supplemental-groups policy every group listing the user by name.
 * The primary gid leads the additional gids (containerd does the same, so
 * `id` shows it among the groups).
 * The caller reads the two files from the rootfs; missing files are "".
 */
import type { LinuxContainerSecurityContext } from "../cri.js";
import { SpecError } from "./errors.js";

/** A user name or group name the image's files do not define. */
export class UnknownUserError extends SpecError {}

export interface ResolvedUser {
  uid: number;
  gid: number;
  additionalGids: number[];
  /** The passwd entry's home directory, for HOME. */
  home?: string;
}

interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
}

interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

const isNumeric = (s: string) => /^[0-9]+$/.test(s);

function parsePasswd(text: string): PasswdEntry[] {
  const out: PasswdEntry[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(":");
    if (f.length < 7 || line.startsWith("#")) continue;
    const [name = "", , uid = "", gid = "", , home = ""] = f;
    if (isNumeric(uid) && isNumeric(gid))
      out.push({ name, uid: Number(uid), gid: Number(gid), home });
  }
  return out;
}

function parseGroup(text: string): GroupEntry[] {
  const out: GroupEntry[] = [];
  for (const line of text.split("\n")) {
    const f = line.trim().split(":");
    if (f.length < 4 || line.startsWith("#")) continue;
    const [name = "", , gid = "", members = ""] = f;
    if (isNumeric(gid)) {
      out.push({ name, gid: Number(gid), members: members.split(",").filter((m) => m !== "") });
    }
  }
  return out;
}

/** Resolve `user[:group]` (names or numbers) against the image's passwd and group files. */
export function resolveUser(
  spec: string,
  options: {
    passwd?: string;
    group?: string;
    /** CRI runAsGroup: overrides the primary gid. */
    runAsGroup?: number | undefined;
    /** CRI supplementalGroups, added after the image's. */
    supplementalGroups?: readonly number[] | undefined;
    /** Add the groups /etc/group lists the user in (CRI policy Merge). Default true. */
    mergeImageGroups?: boolean;
  } = {},
): ResolvedUser {
  const [userPart = "", groupPart] = (spec === "" ? "0" : spec).split(":", 2);
  const users = parsePasswd(options.passwd ?? "");
  const groups = parseGroup(options.group ?? "");
  const entry = isNumeric(userPart)
    ? users.find((u) => u.uid === Number(userPart))
    : users.find((u) => u.name === userPart);
  if (!entry && !isNumeric(userPart)) {
    throw new UnknownUserError(
      `unable to find user ${userPart}: no matching entries in passwd file`,
    );
  }
  const uid = entry?.uid ?? Number(userPart);
  let gid = entry?.gid ?? 0;
  if (groupPart !== undefined && groupPart !== "") {
    if (isNumeric(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g)
        throw new UnknownUserError(
          `unable to find group ${groupPart}: no matching entries in group file`,
        );
      gid = g.gid;
    }
  }
  if (options.runAsGroup !== undefined) gid = options.runAsGroup;
  const additional: number[] = [];
  const add = (g: number) => {
    if (!additional.includes(g)) additional.push(g);
  };
  add(gid);
  if (entry && (options.mergeImageGroups ?? true)) {
    for (const g of groups) if (g.members.includes(entry.name)) add(g.gid);
  }
  for (const g of options.supplementalGroups ?? []) add(g);
  const result: ResolvedUser = { uid, gid, additionalGids: additional };
  if (entry?.home) result.home = entry.home;
  return result;
}

/**
 * The user a container runs as, chosen the way containerd's CRI plugin
 * chooses it: runAsUsername (looked up by name), else runAsUser (the
 * image's group ignored), else the image's USER, else root; then
 * runAsGroup, the groups /etc/group lists the user in, and
 * supplementalGroups. A name the image's files lack fails (UnknownUserError).
 */
export function containerUser(input: {
  securityContext?: LinuxContainerSecurityContext | undefined;
  /** The image config's User. Default root. */
  imageUser?: string | undefined;
  /** The image's /etc/passwd and /etc/group, "" when absent. */
  passwd: string;
  group: string;
}): ResolvedUser {
  const sc = input.securityContext ?? {};
  const spec = sc.runAsUsername
    ? sc.runAsUsername
    : sc.runAsUser !== undefined
      ? String(sc.runAsUser.value)
      : (input.imageUser ?? "");
  if (sc.runAsUsername?.includes(":"))
    throw new UnknownUserError(`invalid runAsUsername ${JSON.stringify(sc.runAsUsername)}`);
  return resolveUser(spec, {
    passwd: input.passwd,
    group: input.group,
    runAsGroup: sc.runAsGroup?.value,
    supplementalGroups: sc.supplementalGroups,
  });
}
