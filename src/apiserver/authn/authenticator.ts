import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { UserInfo } from "../registry/context.js";

export interface Authenticator {
  /**
   * The user a request proves to be, or undefined if it proves nothing.
   * Rejects (InvalidTokenError) when it presents a credential this
   * authenticator owns that is not valid: the request then gets 401.
   */
  authenticate(req: IncomingMessage): Promise<UserInfo | undefined>;
}

const AUTHENTICATED = "system:authenticated";

export function withAuthenticated(user: UserInfo): UserInfo {
  return user.groups.includes(AUTHENTICATED)
    ? user
    : { ...user, groups: [...user.groups, AUTHENTICATED] };
}

/** The bearer token of the Authorization header, if there is one. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? (m[1] as string) : undefined;
}

/**
 * x509 client certificates verified against the cluster CA by the TLS
 * layer: CN is the user name, each O is a group.
 */
export const x509Authenticator: Authenticator = {
  async authenticate(req) {
    const socket = req.socket as TLSSocket;
    if (!socket.encrypted || !socket.authorized) return undefined;
    const cert = socket.getPeerCertificate();
    const cn = cert?.subject?.CN;
    if (!cn) return undefined;
    const o = cert.subject.O;
    const groups = o === undefined ? [] : Array.isArray(o) ? o : [o];
    return withAuthenticated({ name: Array.isArray(cn) ? (cn[0] as string) : cn, groups });
  },
};

/** Bearer tokens from a static map (upstream's --token-auth-file). */
export function tokenAuthenticator(tokens: ReadonlyMap<string, UserInfo>): Authenticator {
  return {
    async authenticate(req) {
      const token = bearerToken(req);
      const user = token === undefined ? undefined : tokens.get(token);
      return user ? withAuthenticated(user) : undefined;
    },
  };
}

/**
 * Parses a token file: `token,user,uid[,"group1,group2"]` per line, the CSV
 * format of upstream's --token-auth-file.
 */
export function parseTokenFile(text: string): Map<string, UserInfo> {
  const out = new Map<string, UserInfo>();
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const fields: string[] = [];
    const re = /\s*("([^"]*)"|[^,]*)\s*(,|$)/g;
    let m: RegExpExecArray | null = re.exec(line);
    while (m !== null && m[0] !== "") {
      fields.push(m[2] ?? m[1] ?? "");
      if (m[3] === "") break;
      m = re.exec(line);
    }
    const [token, name, uid, groups] = fields;
    if (!token || !name) throw new Error(`token file line needs at least token,user: ${line}`);
    out.set(token, {
      name,
      ...(uid ? { uid } : {}),
      groups: groups
        ? groups
            .split(",")
            .map((g) => g.trim())
            .filter(Boolean)
        : [],
    });
  }
  return out;
}

/**
 * The first authenticator that knows the request wins. One that rejects it
 * does not stop the others; when none accepts it, the first rejection is
 * the answer (upstream's union authenticator).
 */
export function unionAuthenticator(list: readonly Authenticator[]): Authenticator {
  return {
    async authenticate(req) {
      let rejection: { err: unknown } | undefined;
      for (const a of list) {
        try {
          const user = await a.authenticate(req);
          if (user) return user;
        } catch (err) {
          rejection ??= { err };
        }
      }
      if (rejection) throw rejection.err;
      return undefined;
    },
  };
}
