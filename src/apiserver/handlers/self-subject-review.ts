/**
 * POST /apis/authentication.k8s.io/v1/selfsubjectreviews: who the caller
 * is, as the server authenticated it (what `kubectl auth whoami` shows).
 * Nothing is stored; the request body carries nothing the answer needs.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../http/body.js";
import type { ResourceRequest } from "../http/request-info.js";
import { writeObject } from "../http/respond.js";
import type { UserInfo } from "../registry/context.js";
import { methodNotAllowed, notFoundPath } from "../status.js";

export function isSelfSubjectReview(info: ResourceRequest): boolean {
  return info.group === "authentication.k8s.io" && info.resource === "selfsubjectreviews";
}

export async function serveSelfSubjectReview(
  info: ResourceRequest,
  http: { req: IncomingMessage; res: ServerResponse; user: UserInfo },
): Promise<void> {
  if (info.version !== "v1" || info.namespace !== "" || info.name !== "" || info.subresource !== "")
    throw notFoundPath();
  if (info.verb !== "create") throw methodNotAllowed();
  await readBody(http.req);
  const { user } = http;
  writeObject(http.res, 201, {
    kind: "SelfSubjectReview",
    apiVersion: "authentication.k8s.io/v1",
    metadata: { creationTimestamp: null },
    status: {
      userInfo: {
        username: user.name,
        ...(user.uid ? { uid: user.uid } : {}),
        groups: [...user.groups],
        ...(user.extra ? { extra: user.extra } : {}),
      },
    },
  });
}
