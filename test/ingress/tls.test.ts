import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildTlsTable, certificateFor } from "../../src/ingress/tls.js";
import { ingress, tlsSecret } from "./fixtures.js";

const pem = (name: string) => ({ cert: `CERT ${name}`, key: `KEY ${name}` });

describe("ingress TLS selection", () => {
  const secrets = [
    tlsSecret("foo", pem("foo")),
    tlsSecret("wild", pem("wild")),
    tlsSecret("any", pem("any")),
    tlsSecret("newer", pem("newer")),
    { metadata: { name: "opaque", namespace: "default" }, type: "Opaque", data: {} },
  ];
  const { table, problems } = buildTlsTable(
    [
      ingress("a", {
        tls: [
          { hosts: ["foo.example.com"], secretName: "foo" },
          { hosts: ["*.example.com"], secretName: "wild" },
          { secretName: "any" },
          { hosts: ["bad.example.com"], secretName: "opaque" },
          { hosts: ["gone.example.com"], secretName: "missing" },
        ],
      }),
      ingress("b", {
        created: "2025-01-01T00:00:00Z",
        tls: [{ hosts: ["foo.example.com"], secretName: "newer" }],
      }),
    ],
    secrets,
  );
  const pick = (sni: string | undefined) => certificateFor(table, sni)?.cert;

  it("picks the precise host, then the wildcard, then an entry without hosts", () => {
    assert.equal(pick("foo.example.com"), "CERT foo");
    assert.equal(pick("FOO.example.com."), "CERT foo");
    assert.equal(pick("bar.example.com"), "CERT wild");
    assert.equal(pick("a.b.example.com"), "CERT any");
    assert.equal(pick(undefined), "CERT any");
  });

  it("lets the oldest Ingress win a host, and reports unusable secrets", () => {
    assert.equal(pick("foo.example.com"), "CERT foo");
    assert.equal(problems.length, 2);
    assert.match(problems.join("\n"), /opaque: secret type is not kubernetes.io\/tls/);
    assert.match(problems.join("\n"), /missing: secret not found/);
  });

  it("answers nothing (the default certificate) when no entry covers the name", () => {
    const only = buildTlsTable(
      [ingress("a", { tls: [{ hosts: ["x.com"], secretName: "foo" }] })],
      secrets,
    );
    assert.equal(certificateFor(only.table, "y.com"), undefined);
    assert.equal(certificateFor(only.table, "x.com")?.version, "1");
  });
});
