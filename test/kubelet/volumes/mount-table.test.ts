import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { mountPointsUnder, parseMountInfo } from "../../../src/kubelet/volumes/mount-table.js";

const text = [
  "22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw",
  "40 22 0:40 / /var/lib/kubelet/pods/u1/volumes/kubernetes.io~secret/creds rw,relatime shared:20 - tmpfs tmpfs rw,size=4096k",
  "41 40 0:41 / /var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/my\\040cache rw - tmpfs tmpfs rw",
  "42 22 0:42 / /var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/my\\040cache/inner rw master:3 - tmpfs tmpfs rw",
  "43 22 0:43 / /var/lib/kubelet/pods/u10/volumes/x rw - tmpfs tmpfs rw",
  "",
].join("\n");

describe("the mount table", () => {
  it("parses mount points (unescaped), filesystem types and sources", () => {
    const entries = parseMountInfo(text);
    assert.equal(entries.length, 5);
    assert.deepEqual(entries[2], {
      mountPoint: "/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/my cache",
      fsType: "tmpfs",
      source: "tmpfs",
    });
  });

  it("lists the mounts beneath a directory deepest first, not those of a sibling with a longer name", () => {
    assert.deepEqual(mountPointsUnder(parseMountInfo(text), "/var/lib/kubelet/pods/u1/volumes"), [
      "/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/my cache/inner",
      "/var/lib/kubelet/pods/u1/volumes/kubernetes.io~empty-dir/my cache",
      "/var/lib/kubelet/pods/u1/volumes/kubernetes.io~secret/creds",
    ]);
  });
});
