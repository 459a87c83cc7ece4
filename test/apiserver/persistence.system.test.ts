// System suite: API servers over both stores — restarts keep data, and two
// API servers on one etcd (Debian's etcd-server) see each other's writes and
// watch events.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { startTestApiServer } from "../support/apiserver.js";
import { startEtcd } from "../support/etcd.js";
import { KUBECTL, kubectlOk } from "../support/kubectl.js";
import { tempDir } from "../support/tmp.js";

describe("API server persistence", () => {
  it("keeps objects across a restart on the embedded store", async () => {
    const dir = tempDir("restart");
    try {
      const first = await startTestApiServer({ dataDir: dir.path });
      try {
        await kubectlOk(first.adminKubeconfig, ["apply", "-f", "-"], {
          input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: durable\ndata:\n  k: v\n",
        });
      } finally {
        await first.close();
      }
      const second = await startTestApiServer({ dataDir: dir.path });
      try {
        const v = await kubectlOk(second.adminKubeconfig, [
          "get",
          "cm",
          "durable",
          "-o",
          "jsonpath={.data.k}",
        ]);
        assert.equal(v, "v");
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });

  it("lets two API servers on one etcd see each other's writes and watch events", async () => {
    const etcd = await startEtcd();
    const dirA = tempDir("ha-a");
    const dirB = tempDir("ha-b");
    try {
      const a = await startTestApiServer({ dataDir: dirA.path, datastoreEndpoint: etcd.endpoint });
      // The second server joins the same cluster: same CA, its own serving certificate.
      mkdirSync(join(dirB.path, "tls"), { recursive: true });
      for (const f of ["ca.crt", "ca.key"])
        copyFileSync(join(dirA.path, "tls", f), join(dirB.path, "tls", f));
      const b = await startTestApiServer({ dataDir: dirB.path, datastoreEndpoint: etcd.endpoint });
      try {
        const watcher = spawn(KUBECTL, ["get", "configmaps", "--watch", "-o", "name"], {
          env: { ...process.env, KUBECONFIG: b.adminKubeconfig },
        });
        let seen = "";
        watcher.stdout.on("data", (d: Buffer) => {
          seen += d.toString();
        });
        try {
          await new Promise((r) => setTimeout(r, 800));
          await kubectlOk(a.adminKubeconfig, ["apply", "-f", "-"], {
            input: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  from: a\n",
          });
          const got = await kubectlOk(b.adminKubeconfig, [
            "get",
            "cm",
            "shared",
            "-o",
            "jsonpath={.data.from}",
          ]);
          assert.equal(got, "a");
          const deadline = Date.now() + 5000;
          while (!seen.includes("configmap/shared") && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 100));
          }
          assert.match(seen, /configmap\/shared/);
        } finally {
          watcher.kill();
        }
      } finally {
        await b.close();
        await a.close();
      }
    } finally {
      await etcd.stop();
      dirA.remove();
      dirB.remove();
    }
  });
});
