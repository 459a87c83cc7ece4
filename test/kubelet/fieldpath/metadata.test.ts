import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Pod } from "kubernetes-types/core/v1.js";
import { extractFieldPathAsString, FieldPathError } from "../../../src/kubelet/fieldpath/index.js";

const pod: Pod = {
  metadata: {
    name: "web-0",
    namespace: "shop",
    uid: "1234-abcd",
    labels: { tier: "front", app: "web", "example.com/tier": "edge" },
    annotations: { "b.io/note": 'say "hi"\n', a: "1", "Example.com/Key": "upper" },
  },
  spec: { containers: [] },
};

describe("extractFieldPathAsString", () => {
  const cases: [string, string][] = [
    ["metadata.name", "web-0"],
    ["metadata.namespace", "shop"],
    ["metadata.uid", "1234-abcd"],
    ["metadata.labels", 'app="web"\nexample.com/tier="edge"\ntier="front"'],
    ["metadata.annotations", 'Example.com/Key="upper"\na="1"\nb.io/note="say \\"hi\\"\\n"'],
    ["metadata.labels['tier']", "front"],
    ["metadata.labels['example.com/tier']", "edge"],
    ["metadata.labels['missing']", ""],
    ["metadata.annotations['b.io/note']", 'say "hi"\n'],
    ["metadata.annotations['missing']", ""],
    ["metadata.annotations['Example.com/Key']", "upper"],
    ["metadata.labels['constructor']", ""],
    ["metadata.annotations['toString']", ""],
  ];
  for (const [fieldPath, want] of cases)
    it(`${fieldPath} → ${JSON.stringify(want)}`, () =>
      assert.equal(extractFieldPathAsString(pod, fieldPath), want));

  it("reads empty text from an object without metadata", () => {
    for (const path of ["metadata.name", "metadata.labels", "metadata.labels['app']"])
      assert.equal(extractFieldPathAsString({}, path), "");
  });

  const errors: [string, string, string][] = [
    ["a path that is not a metadata field", "status.podIP", "unsupported fieldPath: status.podIP"],
    [
      "a subscript on a plain field",
      "metadata.name['x']",
      `fieldPath "metadata.name['x']" does not support subscript`,
    ],
    [
      "an invalid label key",
      "metadata.labels['a b']",
      "invalid key subscript in metadata.labels['a b']: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
    [
      "a label key with an upper-case prefix (annotations lower-case theirs first)",
      "metadata.labels['Example.com/Key']",
      "invalid key subscript in metadata.labels['Example.com/Key']: prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ],
  ];
  for (const [name, fieldPath, message] of errors) {
    it(`error: ${name}`, () => {
      assert.throws(
        () => extractFieldPathAsString(pod, fieldPath),
        (err: unknown) => err instanceof FieldPathError && err.message === message,
      );
    });
  }
});
