import type { IncomingMessage } from "node:http";
import type { TLSSocket } from "node:tls";
import type { UserInfo } from "../registry/context.js";

export interface Authenticator {
  /** The user a request proves to be, or undefined if it proves nothing. */
  authenticate(req: IncomingMessage): UserInfo | undefined;
}

const AUTHENTICATED = "system:authenticated";

function withAuthenticated(user: UserInfo): UserInfo {
  return user.groups.includes(AUTHENTICATED)
    ? user
    : { ...user, groups: [...user.groups, AUTHENTICATED] };
}

/**
 * x509 client certificates verified against the cluster CA by the TLS
 * layer: CN is the user name, each O is a group.
 */
export const x509Authenticator: Authenticator = {
  authenticate(req) {
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
    authenticate(req) {
      const header = req.headers.authorization;
      if (!header) return undefined;
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m) return undefined;
      const user = tokens.get(m[1] as string);
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

export function unionAuthenticator(list: readonly Authenticator[]): Authenticator {
  return {
    authenticate(req) {
      for (const a of list) {
        const user = a.authenticate(req);
        if (user) return user;
      }
      return undefined;
    },
  };
}
