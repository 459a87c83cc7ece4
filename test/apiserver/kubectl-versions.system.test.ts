// System suite: the oldest and newest kubectl the machines carry (1.27 and
// 1.33, beside the dispatcher's 1.32) against the same API server.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";

const CLIENTS = ["1.27", "1.33"].map((v) => ({
  version: v,
  path: `/usr/lib/google-cloud-sdk/bin/kubectl.${v}`,
}));

describe("kubectl client versions", () => {
  let server: TestApiServer;
  before(async () => {
    server = await startTestApiServer();
  });
  after(async () => {
    await server?.stop();
  });

  for (const client of CLIENTS) {
    it(`kubectl ${client.version} discovers, applies, gets and deletes`, async () => {
      const run = (args: string[], input?: string) => {
        const p = promisify(execFile)(client.path, args, {
          env: { ...process.env, KUBECONFIG: server.adminKubeconfig },
        });
        if (input !== undefined) p.child.stdin?.end(input);
        return p;
      };
      const version = JSON.parse((await run(["version", "-o", "json"])).stdout);
      assert.match(
        version.clientVersion.gitVersion,
        new RegExp(`^v${client.version.replace(".", "\\.")}\\.`),
      );
      assert.equal(version.serverVersion.gitVersion, "v1.32.0");
      const name = `cm-${client.version.replace(".", "-")}`;
      await run(
        ["apply", "-f", "-"],
        `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: b\n`,
      );
      const out = (await run(["get", "configmaps", name])).stdout;
      assert.match(out, new RegExp(`^${name}\\s+1\\s+\\d+s$`, "m"));
      await run(["create", "secret", "generic", `${name}-s`, "--from-literal=k=v"]);
      assert.equal(
        (await run(["get", "secret", `${name}-s`, "-o", "jsonpath={.data.k}"])).stdout,
        "dg==",
      );
      assert.match((await run(["delete", "configmap", name])).stdout, /deleted/);
    });
  }
});
