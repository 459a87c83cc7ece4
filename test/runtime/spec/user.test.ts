import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { containerUser, resolveUser, UnknownUserError } from "../../../src/runtime/spec/user.js";

const passwd = [
  "root:x:0:0:root:/root:/bin/bash",
  "# a comment",
  "nginx:x:101:101:nginx user:/var/cache/nginx:/bin/false",
  "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin",
].join("\n");
const group = ["root:x:0:", "nginx:x:101:", "www-data:x:33:nginx,other", "audio:x:29:other"].join(
  "\n",
);

describe("resolving the process user", () => {
  const table: [
    string,
    string,
    Parameters<typeof resolveUser>[1],
    ReturnType<typeof resolveUser>,
  ][] = [
    [
      "an empty user is root",
      "",
      { passwd, group },
      { uid: 0, gid: 0, additionalGids: [0], home: "/root" },
    ],
    [
      "a name finds its uid, primary group and member groups",
      "nginx",
      { passwd, group },
      { uid: 101, gid: 101, additionalGids: [101, 33], home: "/var/cache/nginx" },
    ],
    [
      "a numeric uid finds its passwd entry",
      "101",
      { passwd, group },
      { uid: 101, gid: 101, additionalGids: [101, 33], home: "/var/cache/nginx" },
    ],
    [
      "an unknown numeric uid gets gid 0",
      "1234",
      { passwd, group },
      { uid: 1234, gid: 0, additionalGids: [0] },
    ],
    [
      "uid:gid sets the group",
      "1234:5678",
      { passwd, group },
      { uid: 1234, gid: 5678, additionalGids: [5678] },
    ],
    [
      "a group name resolves through /etc/group",
      "nobody:www-data",
      { passwd, group },
      { uid: 65534, gid: 33, additionalGids: [33], home: "/nonexistent" },
    ],
    [
      "runAsGroup and supplementalGroups apply on top",
      "nginx",
      { passwd, group, runAsGroup: 2000, supplementalGroups: [3000, 33] },
      { uid: 101, gid: 2000, additionalGids: [2000, 33, 3000], home: "/var/cache/nginx" },
    ],
    [
      "the Strict policy ignores the image's group memberships",
      "nginx",
      { passwd, group, mergeImageGroups: false },
      { uid: 101, gid: 101, additionalGids: [101], home: "/var/cache/nginx" },
    ],
    ["missing files still allow numeric users", "7", {}, { uid: 7, gid: 0, additionalGids: [0] }],
  ];
  for (const [name, spec, options, want] of table) {
    it(name, () => assert.deepEqual(resolveUser(spec, options), want));
  }

  it("rejects an unknown user name", () => {
    assert.throws(() => resolveUser("ghost", { passwd }), UnknownUserError);
  });

  it("rejects an unknown group name", () => {
    assert.throws(() => resolveUser("nginx:ghosts", { passwd, group }), UnknownUserError);
  });
});

describe("choosing a container's user as containerd does", () => {
  it("runs as the image's USER name with its groups", () => {
    assert.deepEqual(containerUser({ imageUser: "nginx", passwd, group }), {
      uid: 101,
      gid: 101,
      additionalGids: [101, 33],
      home: "/var/cache/nginx",
    });
  });

  it("resolves user:group names from the image", () => {
    const user = containerUser({ imageUser: "nginx:www-data", passwd, group });
    assert.equal(user.uid, 101);
    assert.equal(user.gid, 33);
  });

  it("passes numeric uid:gid through without passwd or group files", () => {
    assert.deepEqual(containerUser({ imageUser: "1000:1000", passwd: "", group: "" }), {
      uid: 1000,
      gid: 1000,
      additionalGids: [1000],
    });
  });

  it("is root without a USER", () => {
    assert.equal(containerUser({ passwd: "", group: "" }).uid, 0);
  });

  it("prefers runAsUsername over runAsUser and the image's USER", () => {
    const user = containerUser({
      securityContext: { runAsUsername: "nobody", runAsUser: { value: 5 } },
      imageUser: "nginx",
      passwd,
      group,
    });
    assert.equal(user.uid, 65534);
  });

  it("takes runAsUser over the image's USER, with the gid of its passwd entry and runAsGroup on top", () => {
    assert.equal(
      containerUser({
        securityContext: { runAsUser: { value: 101 } },
        imageUser: "0:0",
        passwd,
        group,
      }).gid,
      101,
    );
    const user = containerUser({
      securityContext: {
        runAsUser: { value: 101 },
        runAsGroup: { value: 7 },
        supplementalGroups: [9],
      },
      passwd,
      group,
    });
    assert.deepEqual(user.additionalGids, [7, 33, 9]);
  });

  it("fails for a name the image does not know, naming it", () => {
    assert.throws(
      () => containerUser({ imageUser: "ghost", passwd, group }),
      /unable to find user ghost/,
    );
    assert.throws(
      () => containerUser({ securityContext: { runAsUsername: "ghost" }, passwd, group }),
      UnknownUserError,
    );
  });
});
