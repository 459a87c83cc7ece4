import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseResolvConf, ResolvConfError } from "../../../src/kubelet/dns/index.js";

describe("parseResolvConf", () => {
  const cases: [string, string[], string[], string[]][] = [
    ["", [], [], []],
    [" ", [], [], []],
    ["\t\n\t", [], [], []],
    ["#comment\n", [], [], []],
    [" #comment\n", [], [], []],
    ["#comment\nnameserver 1.2.3.4\nsearch", ["1.2.3.4"], [], []],
    ["nameserver 1.2.3.4", ["1.2.3.4"], [], []],
    ["\tnameserver 1.2.3.4", ["1.2.3.4"], [], []],
    ["nameserver \t 1.2.3.4", ["1.2.3.4"], [], []],
    ["nameserver 1.2.3.4\nnameserver 5.6.7.8", ["1.2.3.4", "5.6.7.8"], [], []],
    ["nameserver 1.2.3.4 #comment", ["1.2.3.4"], [], []],
    ["search ", [], [], []],
    ["search foo bar", [], ["foo", "bar"], []],
    ["search foo. bar", [], ["foo", "bar"], []],
    ["search .", [], ["."], []],
    ["search foo\nsearch bar", [], ["bar"], []],
    [
      "nameserver 1.2.3.4\nsearch foo\nnameserver 5.6.7.8\nsearch bar",
      ["1.2.3.4", "5.6.7.8"],
      ["bar"],
      [],
    ],
    ["#comment\nnameserver 1.2.3.4\n#comment\nsearch foo\ncomment", ["1.2.3.4"], ["foo"], []],
    ["options ", [], [], []],
    ["options ndots:5 attempts:2", [], [], ["ndots:5", "attempts:2"]],
    ["options ndots:1\noptions ndots:5 attempts:3", [], [], ["ndots:5", "attempts:3"]],
    ["nameserver 1.2.3.4\r\nsearch a.b\r\n", ["1.2.3.4"], ["a.b"], []],
  ];
  for (const [text, servers, searches, options] of cases) {
    it(JSON.stringify(text), () =>
      assert.deepEqual(parseResolvConf(text), { servers, searches, options }),
    );
  }

  it("a nameserver line without an address is an error that keeps the rest", () => {
    assert.throws(
      () => parseResolvConf("nameserver\nnameserver 9.9.9.9\nsearch x"),
      (err: unknown) =>
        err instanceof ResolvConfError &&
        err.message === "nameserver list is empty " &&
        err.partial.servers[0] === "9.9.9.9" &&
        err.partial.searches[0] === "x",
    );
  });
});
