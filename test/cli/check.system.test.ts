// `k8ts check` on this machine: the packages and host checks, and a port
// the API server needs but something else holds.
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, it } from "node:test";
import { k8ts } from "../support/cli.js";

describe("k8ts check", () => {
  const holder = createServer();
  let port = 0;
  before(async () => {
    await new Promise<void>((resolve) => holder.listen(0, "0.0.0.0", resolve));
    const addr = holder.address();
    port = typeof addr === "object" && addr ? addr.port : 0;
  });
  after(() => new Promise<void>((resolve) => holder.close(() => resolve())));

  it("reports the kernel checks and fails, naming the fix, for a port in use", () => {
    const r = k8ts("check", "--https-listen-port", String(port));
    assert.equal(r.status, 1, r.stdout + r.stderr);
    for (const name of ["kernel version", "cgroups", "overlayfs", "swap", "runc"]) {
      assert.match(r.stdout, new RegExp(`^\\S+\\s+${name}\\b`, "m"), `missing ${name}`);
    }
    assert.match(r.stdout, new RegExp(`^FAIL\\s+port ${port}/tcp\\s+in use \\(API server\\)`, "m"));
    assert.match(
      r.stdout,
      new RegExp(`fix: stop what listens on it \\(ss -lnp 'sport = :${port}'\\)`),
    );
  });
});
