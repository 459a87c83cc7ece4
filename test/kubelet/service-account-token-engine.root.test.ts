// Root suite: a real busybox container (runc engine) reads the service
// account token, CA and namespace the kubelet projected for it, at the path
// client libraries look in; the token authenticates as the pod's account.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import https from "node:https";
import { after, before, describe, it } from "node:test";
import { SharedInformerFactory } from "../../src/client/informer/factory.js";
import { realClock } from "../../src/client/util/clock.js";
import {
  newControllerContext,
  type RunnableController,
} from "../../src/controllers/manager/context.js";
import { RootCACertPublisher } from "../../src/controllers/rootcacert/controller.js";
import { ServiceAccountController } from "../../src/controllers/serviceaccount/controller.js";
import { silentLogger } from "../../src/util/log.js";
import { type EngineKubelet, startEngineKubelet } from "./engine-harness.js";
import { until } from "./harness.js";

const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

describe("service account tokens in a runc container", () => {
  let k: EngineKubelet;
  let informers: SharedInformerFactory | undefined;
  let controllers: RunnableController[] = [];

  /** The user the API server sees behind a bearer token (SelfSubjectReview). */
  const userOf = (token: string) =>
    new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = https.request(
        `${k.h.server.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
        {
          method: "POST",
          ca: readFileSync(k.h.server.caCertPath),
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        },
        (res) => {
          let body = "";
          res.on("data", (d: Buffer) => {
            body += d.toString();
          });
          res.on("end", () => resolve({ code: res.statusCode ?? 0, body }));
        },
      );
      req.on("error", reject);
      req.end("{}");
    });

  before(async () => {
    k = await startEngineKubelet(1, { apiserver: { disableAdmissionPlugins: [] } });
    informers = new SharedInformerFactory(k.h.rest);
    const ctx = newControllerContext({
      rest: k.h.rest,
      informers,
      log: silentLogger,
      clock: realClock,
    });
    controllers = [new ServiceAccountController(ctx), new RootCACertPublisher(ctx)];
    informers.start();
    await Promise.all(controllers.map((c) => c.run(1)));
    await until("default service account", async () =>
      (await k.h.kubectlRaw(["get", "serviceaccount", "default"])).code === 0 ? true : undefined,
    );
  });
  after(async () => {
    await Promise.all(controllers.map((c) => c.stop()));
    await informers?.stop();
    await k?.stop();
  });

  it("busybox reads its token, CA and namespace; the token is the pod's service account", async () => {
    await k.apply({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "reader" },
      spec: {
        nodeName: "node-1",
        terminationGracePeriodSeconds: 1,
        containers: [{ name: "app", image: "busybox", command: ["sleep", "3600"] }],
      },
    });
    const pod = await k.runningPod("reader");
    const token = await k.execIn(pod, "app", ["cat", `${SA_DIR}/token`]);
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.equal(await k.execIn(pod, "app", ["cat", `${SA_DIR}/namespace`]), "default");
    assert.equal(
      await k.execIn(pod, "app", ["cat", `${SA_DIR}/ca.crt`]),
      readFileSync(k.h.server.caCertPath, "utf8"),
    );
    const write = await k.execIn(pod, "app", [
      "sh",
      "-c",
      `touch ${SA_DIR}/x 2>/dev/null && echo writable || echo read-only`,
    ]);
    assert.equal(write.trim(), "read-only");

    const review = await userOf(token);
    assert.equal(review.code, 201, review.body);
    const user = JSON.parse(review.body).status.userInfo;
    assert.equal(user.username, "system:serviceaccount:default:default");
    assert.deepEqual(user.extra["authentication.kubernetes.io/pod-name"], ["reader"]);
  });
});
