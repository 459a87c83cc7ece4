import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { k8ts } from "../support/cli.js";
import { tempDir } from "../support/tmp.js";

describe("k8ts datastore", () => {
  const dir = tempDir("cli-datastore");
  after(() => dir.remove());
  const ds = (...args: string[]) => k8ts("datastore", "--data-dir", dir.path, ...args);

  it("puts, gets, lists and deletes keys in the embedded store", () => {
    assert.equal(ds("put", "/registry/a", '{"v":1}').status, 0);
    assert.equal(ds("put", "/registry/a", '{"v":2}').status, 0);
    const get = ds("get", "/registry/a");
    assert.equal(get.stdout.trim(), '{"v":2}');
    const old = ds("get", "/registry/a", "--revision", "1");
    assert.equal(old.stdout.trim(), '{"v":1}');
    const list = ds("list", "/registry/");
    assert.match(list.stdout, /\/registry\/a {2}\(create 1, mod 2, version 2/);
    assert.equal(ds("delete", "/registry/a").status, 0);
    assert.match(ds("status").stdout, /revision 3/);
  });

  it("reports a missing key as an error with a non-zero exit", () => {
    const r = ds("get", "/nope");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /key not found: \/nope/);
  });

  it("refuses an endpoint it cannot use", () => {
    const r = k8ts("datastore", "--datastore-endpoint", "mysql://x", "status");
    assert.equal(r.status, 1);
    assert.match(r.stderr, /expected http:\/\/host:port/);
  });
});
