/** One challenge from a WWW-Authenticate header (RFC 7235). */
export interface AuthChallenge {
  /** Lower-cased scheme: `bearer`, `basic`. */
  readonly scheme: string;
  /** Parameters with lower-cased names: realm, service, scope, error. */
  readonly params: Readonly<Record<string, string>>;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * Parses a WWW-Authenticate value, which may hold several challenges:
 * `Bearer realm="https://auth.example/token",service="reg",scope="repository:a/b:pull"`.
 * Malformed tails are dropped rather than thrown: a registry's odd header
 * should not hide the challenges we did understand.
 */
export function parseAuthChallenges(header: string): AuthChallenge[] {
  const out: { scheme: string; params: Record<string, string> }[] = [];
  let s = header;
  const skip = (re: RegExp) => {
    const m = re.exec(s);
    if (m) s = s.slice(m[0].length);
    return m;
  };
  while (s.length > 0) {
    skip(/^[\s,]+/);
    const scheme = skip(TOKEN);
    if (!scheme) break;
    const current = { scheme: scheme[0].toLowerCase(), params: {} as Record<string, string> };
    out.push(current);
    skip(/^\s+/);
    // token68 form (e.g. `Negotiate abc==`) carries no named params.
    const t68 = /^[A-Za-z0-9._~+/-]+=*(?=\s*(,|$))/.exec(s);
    if (t68 && !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+\s*=[^=]/.test(s)) {
      s = s.slice(t68[0].length);
      continue;
    }
    for (;;) {
      const save = s;
      skip(/^[\s,]*/);
      const name = skip(TOKEN);
      if (!name || !skip(/^\s*=\s*/)) {
        s = save;
        break;
      }
      let value: string;
      if (s.startsWith('"')) {
        let i = 1;
        value = "";
        while (i < s.length && s[i] !== '"') {
          if (s[i] === "\\" && i + 1 < s.length) i++;
          value += s[i];
          i++;
        }
        s = s.slice(i + 1);
      } else {
        const m = skip(/^[^\s,]*/);
        value = m ? m[0] : "";
      }
      current.params[name[0].toLowerCase()] = value;
    }
  }
  return out;
}

/** The scope a request for a repository needs: `repository:library/nginx:pull`. */
export function repositoryScope(repository: string, actions: readonly ("pull" | "push")[]): string {
  return `repository:${repository}:${actions.join(",")}`;
}
