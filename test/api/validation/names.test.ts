import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isQualifiedName,
  isValidLabelValue,
  isValidPathSegmentName,
  isValidPortName,
} from "../../../src/api/validation/names.js";

const SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

describe("name formats", () => {
  const cases: Array<[string, (s: string) => string[], string, string[]]> = [
    ["a subdomain accepts dots", isDNS1123Subdomain, "example.com", []],
    [
      "a subdomain rejects upper case and underscores",
      isDNS1123Subdomain,
      "Foo_bar",
      [SUBDOMAIN_MSG],
    ],
    ["a subdomain rejects a trailing dash", isDNS1123Subdomain, "web-", [SUBDOMAIN_MSG]],
    ["a label rejects dots with its own message", isDNS1123Label, "a.b", ["must not contain dots"]],
    ["a label rejects upper case", isDNS1123Label, "Web", [LABEL_MSG]],
    [
      "a label rejects 64 characters",
      isDNS1123Label,
      "a".repeat(64),
      ["must be no more than 63 characters"],
    ],
    [
      "a DNS-1035 label must start with a letter",
      isDNS1035Label,
      "1abc",
      [
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    ["a qualified name accepts a domain prefix", isQualifiedName, "app.kubernetes.io/name", []],
    [
      "a qualified name rejects an empty prefix",
      isQualifiedName,
      "/name",
      ["prefix part must be non-empty"],
    ],
    [
      "a qualified name rejects a bad name part",
      isQualifiedName,
      "-bad",
      [
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      ],
    ],
    ["a label value may be empty", isValidLabelValue, "", []],
    [
      "a path segment may not contain a slash",
      isValidPathSegmentName,
      "a/b",
      ["may not contain '/'"],
    ],
    ["a path segment may not be '..'", isValidPathSegmentName, "..", ["may not be '..'"]],
    [
      "a port name needs a letter",
      isValidPortName,
      "8080",
      ["must contain at least one letter (a-z)"],
    ],
    ["a config key may not be '..'", isConfigMapKey, "..", ["must not be '..'"]],
    [
      "an env var name may not start with a digit",
      isEnvVarName,
      "1X",
      [
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
      ],
    ],
  ];
  for (const [name, fn, value, want] of cases) {
    it(name, () => assert.deepEqual(fn(value), want));
  }
});
