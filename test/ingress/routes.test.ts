import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { buildRouteTable, lookup, type RouteTable } from "../../src/ingress/routes.js";
import { ingress, rule, servicesFor } from "./fixtures.js";

const SERVICES = servicesFor([
  "exact",
  "prefix",
  "root",
  "deep",
  "wild",
  "any",
  "def",
  "def2",
  "old",
  "new",
  "impl",
]);

/** Which service a request reaches: the backend key's service name, or "-" for the 404. */
function reach(table: RouteTable, url: string): string {
  const u = new URL(`http://${url}`);
  const m = lookup(table, { host: u.host, path: u.pathname });
  return m ? (m.backend.key.split("/")[1]?.split(":")[0] ?? "?") : "-";
}

function check(table: RouteTable, cases: Array<[string, string]>) {
  for (const [url, want] of cases) assert.equal(reach(table, url), want, url);
}

describe("ingress route table", () => {
  it("picks the longest matching path, Exact over Prefix at equal length, across Ingresses", () => {
    const table = buildRouteTable(
      [
        ingress("a", { rules: [rule("foo.com", ["Prefix / -> root", "Prefix /foo -> prefix"])] }),
        ingress("b", {
          rules: [rule("foo.com", ["Exact /foo -> exact", "Prefix /foo/bar/ -> deep"])],
        }),
      ],
      SERVICES,
    );
    check(table, [
      ["foo.com/foo", "exact"],
      ["foo.com/foo/", "prefix"],
      ["foo.com/foo/x", "prefix"],
      ["foo.com/foobar", "root"],
      ["foo.com/foo/bar", "deep"],
      ["foo.com/foo/bar/baz", "deep"],
      ["foo.com/foo/barbaz", "prefix"],
      ["foo.com/", "root"],
    ]);
  });

  it("matches hosts precisely first, then one-label wildcards, then rules without a host", () => {
    const table = buildRouteTable(
      [
        ingress("a", {
          rules: [
            rule("foo.bar.com", ["Prefix / -> exact"]),
            rule("*.bar.com", ["Prefix / -> wild"]),
            rule(undefined, ["Prefix / -> any"]),
          ],
        }),
      ],
      SERVICES,
    );
    check(table, [
      ["foo.bar.com/", "exact"],
      ["FOO.Bar.com:8080/x", "exact"],
      ["baz.bar.com/", "wild"],
      ["bar.com/", "any"],
      ["baz.foo.bar.com/", "any"],
      ["10.0.0.1/", "any"],
    ]);
  });

  it("does not fall back to other hosts' rules when a host's paths do not match", () => {
    const table = buildRouteTable(
      [
        ingress("a", { rules: [rule("foo.com", ["Exact /only -> exact"])] }),
        ingress("b", { rules: [rule(undefined, ["Prefix / -> any"])] }),
      ],
      SERVICES,
    );
    check(table, [
      ["foo.com/only", "exact"],
      ["foo.com/other", "-"],
      ["bar.com/other", "any"],
    ]);
  });

  it("sends unmatched requests to the Ingress's default backend, else the oldest one's, else nowhere", () => {
    const table = buildRouteTable(
      [
        ingress("late", {
          created: "2024-02-01T00:00:00Z",
          defaultBackend: "def2",
          rules: [rule("late.com", ["Exact /x -> exact"])],
        }),
        ingress("early", { created: "2024-01-01T00:00:00Z", defaultBackend: "def" }),
        ingress("plain", { rules: [rule("plain.com", ["Exact /x -> exact"])] }),
      ],
      SERVICES,
    );
    check(table, [
      ["late.com/x", "exact"],
      ["late.com/y", "def2"],
      ["plain.com/y", "def"],
      ["unknown.com/", "def"],
    ]);
    const none = buildRouteTable(
      [ingress("a", { rules: [rule("a.com", ["Exact /x -> exact"])] })],
      SERVICES,
    );
    check(none, [["b.com/", "-"]]);
  });

  it("lets the oldest Ingress win the same host, path and type", () => {
    const table = buildRouteTable(
      [
        ingress("b-new", {
          created: "2024-03-01T00:00:00Z",
          rules: [rule("x.com", ["Prefix /a -> new"])],
        }),
        ingress("a-old", {
          created: "2024-01-01T00:00:00Z",
          rules: [rule("x.com", ["Prefix /a -> old"])],
        }),
      ],
      SERVICES,
    );
    check(table, [["x.com/a", "old"]]);
  });

  it("treats ImplementationSpecific as Prefix and an empty path as /", () => {
    const table = buildRouteTable(
      [
        ingress("a", {
          rules: [rule("i.com", ["ImplementationSpecific  -> impl", "Exact /e -> exact"])],
        }),
      ],
      SERVICES,
    );
    check(table, [
      ["i.com/anything", "impl"],
      ["i.com/e", "exact"],
    ]);
  });

  it("a host rule without paths still claims the host for the Ingress's default backend", () => {
    const table = buildRouteTable(
      [
        ingress("a", { defaultBackend: "def", rules: [{ host: "bare.com" }] }),
        ingress("b", { created: "2023-01-01T00:00:00Z", defaultBackend: "old" }),
      ],
      SERVICES,
    );
    check(table, [
      ["bare.com/x", "def"],
      ["other.com/x", "old"],
    ]);
  });
});
