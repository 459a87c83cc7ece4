// Root suite (projected volumes live on tmpfs): a pod's service account
// token end to end on the fake runtime. The ServiceAccount admission plugin
// gives the pod its kube-api-access volume, the service account and root CA
// controllers provide what it projects, and the kubelet writes a token bound
// to the pod that the API server accepts as the pod's service account.
import assert from "node:assert/strict";
import { readFileSync, readlinkSync } from "node:fs";
import https from "node:https";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { SharedInformerFactory } from "../../src/client/informer/factory.js";
import { realClock } from "../../src/client/util/clock.js";
import {
  newControllerContext,
  type RunnableController,
} from "../../src/controllers/manager/context.js";
import { RootCACertPublisher } from "../../src/controllers/rootcacert/controller.js";
import { ServiceAccountController } from "../../src/controllers/serviceaccount/controller.js";
import { FakeImageService, FakeRuntimeService } from "../../src/runtime/fake/index.js";
import { silentLogger } from "../../src/util/log.js";
import { type KubeletHarness, startKubelet, until } from "./harness.js";

const POD_UID = "io.kubernetes.pod.uid";
const SA_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

describe("service account tokens on the fake runtime", () => {
  let h: KubeletHarness;
  let runtime: FakeRuntimeService;
  let informers: SharedInformerFactory;
  let controllers: RunnableController[] = [];

  /** The mounts the kubelet gave the pod's (only) container. */
  const mountsOf = async (uid: string) => {
    const [container] = await runtime.listContainers({ labelSelector: { [POD_UID]: uid } });
    assert.ok(container, "the pod has a container");
    return (await runtime.containerStatus(container.id)).mounts ?? [];
  };

  /** What the API server says about a request made with this bearer token. */
  const selfReview = (token: string) =>
    new Promise<{ code: number; body: string }>((resolve, reject) => {
      const req = https.request(
        `${h.server.url}/apis/authentication.k8s.io/v1/selfsubjectreviews`,
        {
          method: "POST",
          ca: readFileSync(h.server.caCertPath),
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
      req.end(
        JSON.stringify({ apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" }),
      );
    });

  before(async () => {
    const images = new FakeImageService();
    runtime = new FakeRuntimeService({ images });
    h = await startKubelet({
      runtime,
      images,
      runtimeName: "fake",
      apiserver: { disableAdmissionPlugins: [] },
    });
    informers = new SharedInformerFactory(h.rest);
    const ctx = newControllerContext({
      rest: h.rest,
      informers,
      log: silentLogger,
      clock: realClock,
    });
    controllers = [new ServiceAccountController(ctx), new RootCACertPublisher(ctx)];
    informers.start();
    await Promise.all(controllers.map((c) => c.run(1)));
    await until("default service account", async () =>
      (await h.kubectlRaw(["get", "serviceaccount", "default"])).code === 0 ? true : undefined,
    );
    await until("kube-root-ca.crt", async () =>
      (await h.kubectlRaw(["get", "configmap", "kube-root-ca.crt"])).code === 0 ? true : undefined,
    );
  });
  after(async () => {
    await Promise.all(controllers.map((c) => c.stop()));
    await informers?.stop();
    await h?.stop();
  });

  it("writes a pod-bound token, the CA and the namespace, which the API server accepts", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "client" },
        spec: {
          nodeName: h.nodeName,
          terminationGracePeriodSeconds: 1,
          containers: [{ name: "app", image: "busybox:1.36" }],
        },
      }),
    );
    const pod = await until("client running", async () => {
      const p = await h.getPod("client");
      return p?.status?.phase === "Running" ? p : undefined;
    });
    const uid = pod.metadata?.uid ?? "";
    const volume = pod.spec?.volumes?.find((v) => v.name.startsWith("kube-api-access-"));
    assert.ok(volume, "admission added the token volume");
    const dir = join(h.rootDir, "pods", uid, "volumes", "kubernetes.io~projected", volume.name);

    // The container mounts the volume directory read-only at the well-known path.
    const mount = (await mountsOf(uid)).find((m) => m.containerPath === SA_DIR);
    assert.equal(mount?.hostPath, dir);
    assert.equal(mount?.readonly, true);

    // Files are published through the atomic writer's ..data link.
    assert.equal(readlinkSync(join(dir, "token")), "..data/token");
    assert.equal(readFileSync(join(dir, "namespace"), "utf8"), "default");
    assert.equal(
      readFileSync(join(dir, "ca.crt"), "utf8"),
      readFileSync(h.server.caCertPath, "utf8"),
    );
    const token = readFileSync(join(dir, "token"), "utf8");
    const claims = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString());
    assert.deepEqual(claims["kubernetes.io"].pod, { name: "client", uid });
    assert.deepEqual(claims["kubernetes.io"].node.name, h.nodeName);

    const review = await selfReview(token);
    assert.equal(review.code, 201, review.body);
    const user = JSON.parse(review.body).status.userInfo;
    assert.equal(user.username, "system:serviceaccount:default:default");
    assert.deepEqual(user.extra["authentication.kubernetes.io/pod-uid"], [uid]);

    // Resyncs (every second here) reuse the cached token: the file does not churn.
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(readFileSync(join(dir, "token"), "utf8"), token);

    // Once the pod is gone, so is the token's validity.
    await h.kubectl(["delete", "pod", "client", "--wait=true", "--timeout=30s"]);
    await until("token rejected", async () =>
      (await selfReview(token)).code === 401 ? true : undefined,
    );
  });

  it("writes no token for a pod that opts out", async () => {
    await h.kubectl(
      ["apply", "-f", "-"],
      JSON.stringify({
        apiVersion: "v1",
        kind: "Pod",
        metadata: { name: "no-token" },
        spec: {
          nodeName: h.nodeName,
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 1,
          containers: [{ name: "app", image: "busybox:1.36" }],
        },
      }),
    );
    const pod = await until("no-token running", async () => {
      const p = await h.getPod("no-token");
      return p?.status?.phase === "Running" ? p : undefined;
    });
    const mounts = await mountsOf(pod.metadata?.uid ?? "");
    assert.ok(mounts.length > 0, "the container has its other mounts");
    assert.equal(
      mounts.some((m) => m.containerPath === SA_DIR),
      false,
    );
  });
});
