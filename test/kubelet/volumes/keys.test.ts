import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { configMapPayload, secretPayload } from "../../../src/kubelet/volumes/keys.js";
import type { Payload } from "../../../src/kubelet/volumes/payload.js";

function texts(payload: Payload): Record<string, [string, string]> {
  return Object.fromEntries(
    [...payload].map(([k, f]) => [k, [Buffer.from(f.data).toString(), f.mode.toString(8)]]),
  );
}

const configMap = {
  metadata: { name: "cfg" },
  data: { "app.yaml": "port: 80\n", "log.level": "debug" },
  binaryData: { "logo.bin": Buffer.from([0, 1, 2]).toString("base64") },
};

const secret = {
  metadata: { name: "creds" },
  data: {
    user: Buffer.from("admin").toString("base64"),
    pass: Buffer.from("s3cr3t").toString("base64"),
  },
};

describe("configMap payloads", () => {
  it("projects every data and binaryData key with mode 0644 when there are no items", () => {
    const p = configMapPayload(configMap);
    assert.deepEqual(texts(p), {
      "app.yaml": ["port: 80\n", "644"],
      "log.level": ["debug", "644"],
      "logo.bin": ["\u0000\u0001\u0002", "644"],
    });
  });

  it("uses defaultMode for every key", () => {
    const p = configMapPayload(configMap, { defaultMode: 0o400 });
    assert.ok([...p.values()].every((f) => f.mode === 0o400));
  });

  it("projects only the items, under their paths, with item modes over defaultMode", () => {
    const p = configMapPayload(configMap, {
      items: [
        { key: "app.yaml", path: "conf/app.yaml", mode: 0o600 },
        { key: "logo.bin", path: "logo" },
      ],
      defaultMode: 0o440,
    });
    assert.deepEqual(texts(p), {
      "conf/app.yaml": ["port: 80\n", "600"],
      logo: ["\u0000\u0001\u0002", "440"],
    });
  });

  it("fails on an item naming a missing key unless optional", () => {
    const items = [{ key: "nope", path: "nope" }];
    assert.throws(
      () => configMapPayload(configMap, { items }),
      /^Error: configmap references non-existent config key: nope$/,
    );
    assert.equal(configMapPayload(configMap, { items, optional: true }).size, 0);
  });
});

describe("secret payloads", () => {
  it("decodes base64 data", () => {
    assert.deepEqual(texts(secretPayload(secret)), {
      user: ["admin", "644"],
      pass: ["s3cr3t", "644"],
    });
  });

  it("fails on an item naming a missing key with upstream's message", () => {
    assert.throws(
      () => secretPayload(secret, { items: [{ key: "token", path: "t" }] }),
      /^Error: references non-existent secret key: token$/,
    );
  });

  it("an optional missing secret (no data) projects nothing", () => {
    assert.equal(
      secretPayload({ metadata: {} }, { items: [{ key: "a", path: "a" }], optional: true }).size,
      0,
    );
  });
});
