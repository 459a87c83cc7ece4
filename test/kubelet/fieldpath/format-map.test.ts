import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatMap } from "../../../src/kubelet/fieldpath/index.js";

describe("formatMap", () => {
  it('writes sorted key="value" lines without a trailing newline', () => {
    assert.equal(formatMap({ z: "1", a: "2" }), 'a="2"\nz="1"');
  });

  it("quotes values as Go's %q does", () => {
    assert.equal(
      formatMap({ "example.com/note": 'say "hi"\nbye', a: "ü\ttab" }),
      'a="ü\\ttab"\nexample.com/note="say \\"hi\\"\\nbye"',
    );
  });

  it("is empty for no map and for an empty map", () => {
    assert.equal(formatMap(undefined), "");
    assert.equal(formatMap({}), "");
  });
});
