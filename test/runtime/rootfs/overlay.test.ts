import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { overlayOptions, RootfsError } from "../../../src/runtime/rootfs/overlay.js";

describe("overlay options", () => {
  it("stack the init layer over the image layers, newest first, under the writable layer", () => {
    assert.equal(
      overlayOptions({ lower: ["/r/init", "/r/l2", "/r/l1"], upper: "/r/up", work: "/r/work" }),
      "lowerdir=/r/init:/r/l2:/r/l1,upperdir=/r/up,workdir=/r/work",
    );
  });

  it("refuse paths overlayfs would misread, and option strings over a page", () => {
    assert.throws(() => overlayOptions({ lower: ["/a:b", "/c"] }), RootfsError);
    assert.throws(() => overlayOptions({ lower: ["/a"], upper: "/u" }), RootfsError);
    const many = Array.from(
      { length: 200 },
      (_, i) => `/var/lib/k8ts/layers/sha256-${String(i).padStart(40, "0")}`,
    );
    assert.throws(() => overlayOptions({ lower: many }), /over the 4096-byte limit/);
  });
});
