import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  chooseProtocol,
  execOptions,
  exitStatus,
  frame,
  parseMessage,
} from "../../../src/kubelet/server/remotecommand.js";

describe("remote command protocol", () => {
  it("chooses v5 or v4 in the client's order, nothing else", () => {
    assert.equal(chooseProtocol(["v5.channel.k8s.io", "v4.channel.k8s.io"]), "v5.channel.k8s.io");
    assert.equal(
      chooseProtocol(["base64.channel.k8s.io", "v4.channel.k8s.io"]),
      "v4.channel.k8s.io",
    );
    assert.equal(chooseProtocol(["channel.k8s.io"]), undefined);
  });
  it("frames by channel and parses stdin, resize and v5 close", () => {
    assert.deepEqual([...frame(1, "hi")], [1, 104, 105]);
    assert.deepEqual(parseMessage(Buffer.from([0, 65])), { kind: "stdin", data: Buffer.from("A") });
    assert.deepEqual(
      parseMessage(Buffer.concat([Buffer.from([4]), Buffer.from('{"Width":120,"Height":40}')])),
      {
        kind: "resize",
        width: 120,
        height: 40,
      },
    );
    assert.deepEqual(parseMessage(Buffer.from([255, 0])), { kind: "close", channel: 0 });
    assert.deepEqual(parseMessage(Buffer.from([4, 123])), { kind: "ignored" });
  });
  it("reports the exit code as kubectl reads it", () => {
    assert.deepEqual(exitStatus(0, ["true"]), { metadata: {}, status: "Success" });
    const failed = exitStatus(3, ["sh", "-c", "exit 3"]) as {
      reason: string;
      details: { causes: { reason: string; message: string }[] };
    };
    assert.equal(failed.reason, "NonZeroExitCode");
    assert.deepEqual(failed.details.causes, [{ reason: "ExitCode", message: "3" }]);
  });
  it("reads the kubelet's exec query; a terminal has no separate stderr", () => {
    const q = new URLSearchParams(
      "command=sh&command=-c&command=ls&input=1&output=1&error=1&tty=1",
    );
    assert.deepEqual(execOptions(q), {
      command: ["sh", "-c", "ls"],
      stdin: true,
      stdout: true,
      stderr: false,
      tty: true,
    });
  });
});
