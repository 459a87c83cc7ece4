import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import {
  CniConfigError,
  loadDefaultNetwork,
  parseNetworkConfig,
} from "../../../src/network/cni/index.js";
import { tempDir } from "../../support/tmp.js";

describe("CNI config directory", () => {
  it("takes the first parseable file in lexical order; a .conf becomes a list of one", async () => {
    const dir = tempDir("cni-conf");
    try {
      assert.equal(await loadDefaultNetwork(dir.path), undefined);
      writeFileSync(
        join(dir.path, "20-b.conflist"),
        JSON.stringify({ cniVersion: "1.0.0", name: "b", plugins: [{ type: "bridge" }] }),
      );
      writeFileSync(join(dir.path, "10-broken.conflist"), "{");
      writeFileSync(join(dir.path, "readme.txt"), "x");
      const skipped: string[] = [];
      const net = await loadDefaultNetwork(dir.path, (f) => skipped.push(f));
      assert.equal(net?.name, "b");
      assert.equal(skipped.length, 1);
      writeFileSync(
        join(dir.path, "05-a.conf"),
        JSON.stringify({ cniVersion: "0.4.0", name: "a", type: "bridge", bridge: "x0" }),
      );
      const a = await loadDefaultNetwork(dir.path);
      assert.deepEqual(a, {
        cniVersion: "0.4.0",
        name: "a",
        plugins: [{ type: "bridge", bridge: "x0" }],
      });
    } finally {
      dir.remove();
    }
  });
  it("says what is wrong with a bad config", () => {
    assert.throws(() => parseNetworkConfig('{"plugins":[]}', "f"), /no network name/);
    assert.throws(
      () => parseNetworkConfig('{"name":"n","plugins":[{}]}', "f"),
      /plugins\[0\] has no type/,
    );
    assert.throws(() => parseNetworkConfig('{"name":"n"}', "f"), CniConfigError);
  });
});
