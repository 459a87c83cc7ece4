// System suite: the pods/ephemeralcontainers subresource through the real kubectl.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { kubectl, kubectlOk } from "../support/kubectl.js";

const NS = "debugging";

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: ${NS}
spec:
  containers:
  - name: app
    image: nginx
`;

/** kubectl patch of pod web, through the ephemeralcontainers subresource unless `plain`. */
const patchPod = (
  kc: string,
  req: { type: string; patch: unknown; plain?: boolean; args?: string[] },
) =>
  kubectl(kc, [
    "patch",
    "-n",
    NS,
    "pod",
    "web",
    ...(req.plain ? [] : ["--subresource=ephemeralcontainers"]),
    `--type=${req.type}`,
    "-p",
    JSON.stringify(req.patch),
    ...(req.args ?? []),
  ]);

const patchEphemeral = (kc: string, containers: unknown[], args: string[] = []) =>
  patchPod(kc, { type: "strategic", patch: { spec: { ephemeralContainers: containers } }, args });

describe("pods/ephemeralcontainers", () => {
  let server: TestApiServer;
  let kc: string;
  before(async () => {
    server = await startTestApiServer();
    kc = server.adminKubeconfig;
    await kubectlOk(kc, ["create", "namespace", NS]);
    await kubectlOk(kc, ["apply", "-f", "-"], { input: POD });
  });
  after(async () => {
    await server?.stop();
  });

  const get = (path: string) =>
    kubectlOk(kc, ["get", "-n", NS, "pod", "web", "-o", `jsonpath=${path}`]);

  it("adds an ephemeral container with a strategic-merge patch, defaulted, changing nothing else", async () => {
    const before = await get("{.spec.containers[0].image} {.metadata.labels}");
    const r = await patchEphemeral(kc, [
      { name: "debugger", image: "busybox", command: ["sleep", "3600"] },
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      await get(
        "{.spec.ephemeralContainers[0].name} {.spec.ephemeralContainers[0].imagePullPolicy} {.spec.ephemeralContainers[0].terminationMessagePolicy}",
      ),
      "debugger Always File",
    );
    assert.equal(await get("{.spec.containers[0].image} {.metadata.labels}"), before);
  });

  it("ignores other changes sent to the subresource", async () => {
    const r = await patchPod(kc, {
      type: "merge",
      patch: { metadata: { labels: { sneaky: "yes" } }, spec: { activeDeadlineSeconds: 5 } },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await get("{.metadata.labels.sneaky}{.spec.activeDeadlineSeconds}"), "");
    assert.equal(await get("{.spec.ephemeralContainers[*].name}"), "debugger");
  });

  it("serves the pod on GET of the subresource", async () => {
    const raw = await kubectlOk(kc, [
      "get",
      "--raw",
      `/api/v1/namespaces/${NS}/pods/web/ephemeralcontainers`,
    ]);
    const pod = JSON.parse(raw) as {
      kind: string;
      spec: { ephemeralContainers: { name: string }[] };
    };
    assert.equal(pod.kind, "Pod");
    assert.deepEqual(
      pod.spec.ephemeralContainers.map((c) => c.name),
      ["debugger"],
    );
  });

  it("adds one with kubectl debug", async () => {
    const r = await kubectl(kc, [
      "debug",
      "-n",
      NS,
      "web",
      "--image=busybox",
      "--container=second",
      "--",
      "sh",
      "-c",
      "echo hi",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await get("{.spec.ephemeralContainers[*].name}"), "debugger second");
    assert.equal(await get("{.spec.ephemeralContainers[1].command[2]}"), "echo hi");
  });

  it("refuses invalid ephemeral containers with 422 and field paths", async () => {
    const existing = JSON.parse(await get("{.spec.ephemeralContainers}")) as unknown[];
    const r = await patchEphemeral(
      kc,
      [
        ...existing,
        {
          name: "bad",
          image: "busybox",
          ports: [{ containerPort: 80 }],
          readinessProbe: { exec: { command: ["true"] } },
          targetContainerName: "missing",
        },
        { name: "app" },
      ],
      ["-v=6"],
    );
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /PATCH https:\S+\/pods\/web\/ephemeralcontainers\S* 422 Unprocessable Entity/,
    );
    assert.match(r.stderr, /is invalid/);
    assert.match(
      r.stderr,
      /spec\.ephemeralContainers\[2\]\.ports: Forbidden: cannot be set for an Ephemeral Container/,
    );
    assert.match(r.stderr, /spec\.ephemeralContainers\[2\]\.readinessProbe: Forbidden/);
    assert.match(
      r.stderr,
      /spec\.ephemeralContainers\[2\]\.targetContainerName: Not found: "missing"/,
    );
    assert.match(r.stderr, /spec\.ephemeralContainers\[3\]\.name: Duplicate value: "app"/);
    assert.match(r.stderr, /spec\.ephemeralContainers\[3\]\.image: Required value/);
    assert.equal(await get("{.spec.ephemeralContainers[*].name}"), "debugger second");
  });

  it("refuses changing or removing an existing one", async () => {
    const removed = await patchPod(kc, {
      type: "json",
      patch: [{ op: "remove", path: "/spec/ephemeralContainers/0" }],
    });
    assert.notEqual(removed.code, 0);
    assert.match(removed.stderr, /existing ephemeral containers "debugger" may not be removed/);
    const changed = await patchPod(kc, {
      type: "json",
      patch: [{ op: "replace", path: "/spec/ephemeralContainers/0/image", value: "alpine" }],
    });
    assert.notEqual(changed.code, 0);
    assert.match(changed.stderr, /existing ephemeral containers "debugger" may not be changed/);
  });

  it("refuses adding one through a plain pod update", async () => {
    const third = { name: "third", image: "busybox" };
    const r = await patchPod(kc, {
      type: "json",
      patch: [{ op: "add", path: "/spec/ephemeralContainers/-", value: third }],
      plain: true,
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /pod updates may not change fields other than/);
    assert.equal(await get("{.spec.ephemeralContainers[*].name}"), "debugger second");
  });

  it("answers 405 to verbs the subresource does not have", async () => {
    const r = await kubectl(kc, [
      "delete",
      "--raw",
      `/api/v1/namespaces/${NS}/pods/web/ephemeralcontainers`,
    ]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /MethodNotAllowed|not allowed|405/i);
  });
});
