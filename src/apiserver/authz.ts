import type { RequestInfo } from "./http/request-info.js";
import { RbacAuthorizer } from "./rbac/authorizer.js";
import type { RbacObjects } from "./rbac/types.js";
import type { UserInfo } from "./registry/context.js";

export interface Decision {
  readonly allowed: boolean;
  readonly reason?: string;
}

/** Decides whether a user may make a request (RBAC plugs in here). */
export interface Authorizer {
  authorize(user: UserInfo, request: RequestInfo): Promise<Decision>;
}

/** Allows every request (--authorization-mode=AlwaysAllow). */
export const allowAllAuthorizer: Authorizer = {
  authorize: async () => ({ allowed: true }),
};

/** Upstream's --authorization-mode values k8ts supports (Node is not among them). */
export type AuthorizationMode = "RBAC" | "AlwaysAllow";

export const AUTHORIZATION_MODES: readonly AuthorizationMode[] = ["RBAC", "AlwaysAllow"];

/** Members of system:masters may do anything, whatever RBAC says (upstream's privileged groups). */
export const SYSTEM_PRIVILEGED_GROUP = "system:masters";

/** Allows users in any of `groups`; no opinion (not allowed, no reason) for everyone else. */
export function privilegedGroupsAuthorizer(groups: readonly string[]): Authorizer {
  return {
    authorize: async (user) => ({ allowed: user.groups.some((g) => groups.includes(g)) }),
  };
}

/**
 * Asks each authorizer in turn; the first to allow decides. A request none
 * allows is denied with their reasons, one a line (upstream's union).
 */
export function unionAuthorizer(authorizers: readonly Authorizer[]): Authorizer {
  return {
    async authorize(user, request) {
      const reasons: string[] = [];
      for (const a of authorizers) {
        const d = await a.authorize(user, request);
        if (d.allowed) return d;
        if (d.reason) reasons.push(d.reason);
      }
      return { allowed: false, reason: reasons.join("\n") };
    },
  };
}

/**
 * The API server's authorizer for a mode, as kube-apiserver builds it:
 * system:masters first, then RBAC reading `objects`.
 */
export function newAuthorizer(
  mode: AuthorizationMode,
  objects: RbacObjects | undefined,
): Authorizer {
  if (mode === "AlwaysAllow") return allowAllAuthorizer;
  if (!objects) throw new Error("RBAC authorization needs its role and binding objects");
  return unionAuthorizer([
    privilegedGroupsAuthorizer([SYSTEM_PRIVILEGED_GROUP]),
    new RbacAuthorizer(objects),
  ]);
}
