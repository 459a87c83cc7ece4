/**
 * String-format checks with upstream's exact messages (apimachinery
 * util/validation). Each returns the list of problems; empty means valid.
 */

import { maxLenError, regexError } from "../../machinery/labels/validation.js";

// Shared with label selectors: one implementation of upstream's checks and messages.
export {
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  maxLenError,
  regexError,
} from "../../machinery/labels/validation.js";

const DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
export const DNS1123_LABEL_MAX = 63;
const dns1123LabelRe = new RegExp(`^${DNS1123_LABEL_FMT}$`);

const DNS1123_SUBDOMAIN_FMT = `${DNS1123_LABEL_FMT}(\\.${DNS1123_LABEL_FMT})*`;
export const DNS1123_SUBDOMAIN_MAX = 253;
const dns1123SubdomainRe = new RegExp(`^${DNS1123_SUBDOMAIN_FMT}$`);

const DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_ERR =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const dns1035LabelRe = new RegExp(`^${DNS1035_LABEL_FMT}$`);

const WILDCARD_FMT = `\\*\\.${DNS1123_SUBDOMAIN_FMT}`;
const WILDCARD_ERR =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";
const wildcardRe = new RegExp(`^${WILDCARD_FMT}$`);

const C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";
const cIdentifierRe = new RegExp(`^${C_IDENTIFIER_FMT}$`);

const PERCENT_FMT = "[0-9]+%";
const percentRe = new RegExp(`^${PERCENT_FMT}$`);

const HTTP_HEADER_FMT = "[-A-Za-z0-9]+";
const httpHeaderRe = new RegExp(`^${HTTP_HEADER_FMT}$`);

const ENV_VAR_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
const envVarRe = new RegExp(`^${ENV_VAR_FMT}$`);

const CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
const configMapKeyRe = new RegExp(`^${CONFIG_MAP_KEY_FMT}$`);

/** Go's len(): the UTF-8 byte length. */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

export function emptyError(): string {
  return "must be non-empty";
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX) errs.push(maxLenError(DNS1123_LABEL_MAX));
  if (!dns1123LabelRe.test(value)) {
    if (dns1123SubdomainRe.test(value)) errs.push("must not contain dots");
    else errs.push(regexError(DNS1123_LABEL_ERR, DNS1123_LABEL_FMT, "my-name", "123-abc"));
  }
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_LABEL_MAX) errs.push(maxLenError(DNS1123_LABEL_MAX));
  if (!dns1035LabelRe.test(value)) {
    errs.push(regexError(DNS1035_LABEL_ERR, DNS1035_LABEL_FMT, "my-name", "abc-123"));
  }
  return errs;
}

export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!wildcardRe.test(value)) errs.push(regexError(WILDCARD_ERR, WILDCARD_FMT, "*.example.com"));
  return errs;
}

export function isCIdentifier(value: string): string[] {
  if (cIdentifierRe.test(value)) return [];
  return [
    regexError(
      "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'",
      C_IDENTIFIER_FMT,
      "my_name",
      "MY_NAME",
      "MyName",
    ),
  ];
}

export function isValidPortNum(port: number): string[] {
  return Number.isInteger(port) && port >= 1 && port <= 65535
    ? []
    : [inclusiveRangeError(1, 65535)];
}

export function isInRange(value: number, lo: number, hi: number): string[] {
  return value >= lo && value <= hi ? [] : [inclusiveRangeError(lo, hi)];
}

const MAX_INT32 = 2147483647;

export function isValidUserID(uid: number): string[] {
  return isInRange(uid, 0, MAX_INT32);
}

export function isValidGroupID(gid: number): string[] {
  return isInRange(gid, 0, MAX_INT32);
}

/** IANA_SVC_NAME: the name of a container or service port. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!/^[-a-z0-9]+$/.test(port)) {
    errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  }
  if (!/[a-z]/.test(port)) errs.push("must contain at least one letter (a-z)");
  if (port.includes("--")) errs.push("must not contain consecutive hyphens");
  if (port.length > 0 && (port.startsWith("-") || port.endsWith("-"))) {
    errs.push("must not begin or end with a hyphen");
  }
  return errs;
}

export function isValidPercent(value: string): string[] {
  if (percentRe.test(value)) return [];
  return [
    regexError(
      "a valid percent string must be a numeric string followed by an ending '%'",
      PERCENT_FMT,
      "1%",
      "93%",
    ),
  ];
}

export function isHTTPHeaderName(value: string): string[] {
  if (httpHeaderRe.test(value)) return [];
  return [
    regexError(
      "a valid HTTP header must consist of alphanumeric characters or '-'",
      HTTP_HEADER_FMT,
      "X-Header-Name",
    ),
  ];
}

function chDirPrefix(value: string): string[] {
  if (value === ".") return ["must not be '.'"];
  if (value === "..") return ["must not be '..'"];
  if (value.startsWith("..")) return ["must not start with '..'"];
  return [];
}

export function isEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (!envVarRe.test(value)) {
    errs.push(
      regexError(
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit",
        ENV_VAR_FMT,
        "my.env-name",
        "MY_ENV.NAME",
        "MyEnvName1",
      ),
    );
  }
  errs.push(...chDirPrefix(value));
  return errs;
}

/** Keys of ConfigMap and Secret data. */
export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > DNS1123_SUBDOMAIN_MAX) errs.push(maxLenError(DNS1123_SUBDOMAIN_MAX));
  if (!configMapKeyRe.test(value)) {
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        CONFIG_MAP_KEY_FMT,
        "key.name",
        "KEY_NAME",
        "key-name",
      ),
    );
  }
  errs.push(...chDirPrefix(value));
  return errs;
}

/** Names that travel as one URL path segment (RBAC objects). */
export function isValidPathSegmentName(name: string): string[] {
  for (const bad of [".", ".."]) if (name === bad) return [`may not be '${bad}'`];
  const errs: string[] = [];
  for (const bad of ["/", "%"]) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

/** The prefix of a generated name: only the substrings are checked. */
export function isValidPathSegmentPrefix(name: string): string[] {
  const errs: string[] = [];
  for (const bad of ["/", "%"]) if (name.includes(bad)) errs.push(`may not contain '${bad}'`);
  return errs;
}

function parseIPv4(s: string): number[] | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const out: number[] = [];
  for (const p of parts) {
    // ParseIPSloppy accepts leading zeros; the octet must still fit.
    if (!/^[0-9]{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out.push(n);
  }
  return out;
}

function isIPv6(s: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(":")) return false;
  const double = s.split("::");
  if (double.length > 2) return false;
  let groups = 0;
  for (const half of double) {
    if (half === "") continue;
    const parts = half.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i] as string;
      if (i === parts.length - 1 && p.includes(".") && half === double[double.length - 1]) {
        if (parseIPv4(p) === undefined) return false;
        groups += 2;
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return false;
        groups += 1;
      }
    }
  }
  return double.length === 2 ? groups < 8 : groups === 8;
}

/** The IP family of a textual address, or undefined when it is not one. */
export function ipFamilyOf(s: string): "IPv4" | "IPv6" | undefined {
  if (parseIPv4(s) !== undefined) return "IPv4";
  if (isIPv6(s)) return "IPv6";
  return undefined;
}

export const IP_ERROR = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
export const CIDR_ERROR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

/** The family of a CIDR, or undefined when it is not one. */
export function cidrFamilyOf(s: string): "IPv4" | "IPv6" | undefined {
  const slash = s.indexOf("/");
  if (slash < 0) return undefined;
  const fam = ipFamilyOf(s.slice(0, slash));
  const bits = s.slice(slash + 1);
  if (fam === undefined || !/^[0-9]{1,3}$/.test(bits)) return undefined;
  return Number(bits) <= (fam === "IPv4" ? 32 : 128) ? fam : undefined;
}
