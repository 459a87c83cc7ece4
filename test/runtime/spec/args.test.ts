import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { NoCommandError, resolveArgs } from "../../../src/runtime/spec/args.js";

describe("container command and args", () => {
  const image = {
    imageEntrypoint: ["/docker-entrypoint.sh"],
    imageCmd: ["nginx", "-g", "daemon off;"],
  };
  // The table from kubernetes.io "Define a Command and Arguments for a Container".
  const table: [string, Parameters<typeof resolveArgs>[0], string[]][] = [
    [
      "neither set runs the image's Entrypoint and Cmd",
      image,
      ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
    ],
    [
      "command replaces the Entrypoint and drops the Cmd",
      { ...image, command: ["/bin/sh"] },
      ["/bin/sh"],
    ],
    [
      "args replace the Cmd only",
      { ...image, args: ["nginx", "-T"] },
      ["/docker-entrypoint.sh", "nginx", "-T"],
    ],
    [
      "command and args replace both",
      { ...image, command: ["echo"], args: ["hi"] },
      ["echo", "hi"],
    ],
    [
      "an empty command counts as unset",
      { ...image, command: [] },
      ["/docker-entrypoint.sh", "nginx", "-g", "daemon off;"],
    ],
    ["an image with only Cmd runs the Cmd", { imageCmd: ["sh"] }, ["sh"]],
    [
      "an Entrypoint of one empty string means none",
      { imageEntrypoint: [""], imageCmd: ["sh"] },
      ["sh"],
    ],
    [
      "command and args get $(VAR) expansion",
      {
        command: ["/bin/echo"],
        args: ["$(MESSAGE)", "$$(MESSAGE)", "$(UNSET)"],
        env: { MESSAGE: "hello" },
      },
      ["/bin/echo", "hello", "$(MESSAGE)", "$(UNSET)"],
    ],
    [
      "the image's own words are never expanded",
      { imageEntrypoint: ["echo"], imageCmd: ["$(MESSAGE)"], env: { MESSAGE: "hello" } },
      ["echo", "$(MESSAGE)"],
    ],
    [
      "a Map works as the environment",
      { command: ["echo", "$(A)"], env: new Map([["A", "a"]]) },
      ["echo", "a"],
    ],
  ];
  for (const [name, options, want] of table) {
    it(name, () => assert.deepEqual(resolveArgs(options), want));
  }

  it("rejects a container with nothing to run", () => {
    assert.throws(() => resolveArgs({ imageEntrypoint: [], command: [] }), NoCommandError);
  });
});
