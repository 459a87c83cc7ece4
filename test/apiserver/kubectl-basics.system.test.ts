// System suite: the real kubectl (/usr/bin/kubectl) against an in-process API server.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { kubectl, kubectlOk } from "../support/kubectl.js";
import { tempDir } from "../support/tmp.js";

const NGINX_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
spec:
  selector:
    matchLabels:
      app: nginx
  replicas: 2
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.7.9
        ports:
        - containerPort: 80
`;

describe("kubectl against the API server", () => {
  let server: TestApiServer;
  let kc: string;
  const files = tempDir("kubectl-files");
  before(async () => {
    server = await startTestApiServer();
    kc = server.adminKubeconfig;
  });
  after(async () => {
    await server?.stop();
    files.remove();
  });

  it("reports the Kubernetes version and serves discovery", async () => {
    const version = JSON.parse(await kubectlOk(kc, ["version", "-o", "json"]));
    assert.equal(version.serverVersion.gitVersion, "v1.32.0");
    const resources = await kubectlOk(kc, ["api-resources"]);
    assert.match(resources, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(resources, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(resources, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    const versions = await kubectlOk(kc, ["api-versions"]);
    assert.match(versions, /^apps\/v1$/m);
    assert.match(versions, /^v1$/m);
  });

  it("has the system namespaces and the kubernetes service after start", async () => {
    const ns = await kubectlOk(kc, ["get", "namespaces", "-o", "name"]);
    for (const n of ["default", "kube-system", "kube-public", "kube-node-lease"]) {
      assert.match(ns, new RegExp(`^namespace/${n}$`, "m"));
    }
    const svc = await kubectlOk(kc, [
      "get",
      "service",
      "kubernetes",
      "-o",
      "jsonpath={.spec.clusterIP}",
    ]);
    assert.equal(svc, "10.43.0.1");
  });

  it("applies the notes' nginx-deployment with upstream defaults and patches it on re-apply", async () => {
    const file = join(files.path, "nginx-deployment.yaml");
    writeFileSync(file, NGINX_DEPLOYMENT);
    const out = await kubectlOk(kc, ["apply", "-f", file]);
    assert.match(out, /deployment.apps\/nginx-deployment created/);
    const d = JSON.parse(
      await kubectlOk(kc, ["get", "deployment", "nginx-deployment", "-o", "json"]),
    );
    assert.equal(d.metadata.generation, 1);
    assert.deepEqual(d.spec.strategy, {
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" },
    });
    assert.equal(d.spec.revisionHistoryLimit, 10);
    assert.equal(d.spec.progressDeadlineSeconds, 600);
    const pod = d.spec.template.spec;
    assert.equal(pod.restartPolicy, "Always");
    assert.equal(pod.dnsPolicy, "ClusterFirst");
    assert.equal(pod.terminationGracePeriodSeconds, 30);
    assert.equal(pod.schedulerName, "default-scheduler");
    assert.equal(pod.containers[0].imagePullPolicy, "IfNotPresent");
    assert.equal(pod.containers[0].terminationMessagePath, "/dev/termination-log");
    assert.equal(pod.containers[0].terminationMessagePolicy, "File");
    assert.equal(pod.containers[0].ports[0].protocol, "TCP");

    writeFileSync(file, NGINX_DEPLOYMENT.replace("nginx:1.7.9", "nginx:1.8"));
    const diff = await kubectl(kc, ["diff", "-f", file]);
    assert.equal(diff.code, 1, `kubectl diff exits 1 when there are differences: ${diff.stderr}`);
    assert.match(diff.stdout, /^-\s+- image: nginx:1\.7\.9$/m);
    assert.match(diff.stdout, /^\+\s+- image: nginx:1\.8$/m);
    assert.match(
      await kubectlOk(kc, ["apply", "-f", file]),
      /deployment.apps\/nginx-deployment configured/,
    );
    const d2 = JSON.parse(
      await kubectlOk(kc, ["get", "deployment", "nginx-deployment", "-o", "json"]),
    );
    assert.equal(d2.spec.template.spec.containers[0].image, "nginx:1.8");
    assert.equal(d2.metadata.generation, 2);
  });

  it("prints upstream's table columns", async () => {
    const out = await kubectlOk(kc, ["get", "deployments"]);
    assert.match(out, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE$/m);
    assert.match(out, /^nginx-deployment\s+0\/2\s+0\s+0\s+\d+s$/m);
    const wide = await kubectlOk(kc, ["get", "deployments", "-o", "wide"]);
    assert.match(wide, /CONTAINERS\s+IMAGES\s+SELECTOR/);
    assert.match(wide, /nginx\s+nginx:1\.8\s+app=nginx/);
  });

  it("creates secrets and configmaps from files as in the notes", async () => {
    const user = join(files.path, "username.txt");
    writeFileSync(user, "admin");
    await kubectlOk(kc, ["create", "secret", "generic", "user", `--from-file=${user}`]);
    const secrets = await kubectlOk(kc, ["get", "secrets"]);
    assert.match(secrets, /^user\s+Opaque\s+1\s+\d+s$/m);
    const props = join(files.path, "ui.properties");
    writeFileSync(props, "color.good=purple\ncolor.bad=yellow\nallow.textmode=true\n");
    await kubectlOk(kc, ["create", "configmap", "ui-config", `--from-file=${props}`]);
    const cm = await kubectlOk(kc, ["get", "configmaps", "ui-config", "-o", "yaml"]);
    assert.match(cm, /ui\.properties: \|/);
    assert.match(cm, /color\.good=purple/);
  });

  it("refuses invalid objects with the failing field named, storing nothing", async () => {
    const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: empty\nspec:\n  containers: []\n`;
    const r = await kubectl(kc, ["create", "-f", "-"], { input: pod });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /spec\.containers: Required value/);
    const bad = NGINX_DEPLOYMENT.replace("name: nginx-deployment", "name: mismatched").replace(
      "app: nginx\n  replicas",
      "app: other\n  replicas",
    );
    const r2 = await kubectl(kc, ["create", "-f", "-"], { input: bad });
    assert.notEqual(r2.code, 0);
    assert.match(r2.stderr, /selector.*does not match template.*labels/);
    const none = await kubectl(kc, ["get", "pod", "empty"]);
    assert.match(none.stderr, /pods "empty" not found/);
  });

  it("rejects unknown fields under strict validation", async () => {
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: strict\ndata:\n  a: b\nbogus: 1\n`;
    const r = await kubectl(kc, ["create", "-f", "-"], { input: cm });
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown field "bogus"/);
  });

  it("labels, annotates, scales and patches with every patch type", async () => {
    await kubectlOk(kc, ["label", "deployment", "nginx-deployment", "tier=web"]);
    await kubectlOk(kc, ["annotate", "deployment", "nginx-deployment", "note=hello"]);
    await kubectlOk(kc, ["scale", "deployment", "nginx-deployment", "--replicas=4"]);
    await kubectlOk(kc, [
      "patch",
      "deployment",
      "nginx-deployment",
      "--type=merge",
      "-p",
      '{"spec":{"minReadySeconds":5}}',
    ]);
    await kubectlOk(kc, [
      "patch",
      "deployment",
      "nginx-deployment",
      "--type=json",
      "-p",
      '[{"op":"replace","path":"/spec/revisionHistoryLimit","value":3}]',
    ]);
    await kubectlOk(kc, [
      "patch",
      "deployment",
      "nginx-deployment",
      "-p",
      '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","env":[{"name":"A","value":"1"}]}]}}}}',
    ]);
    const d = JSON.parse(await kubectlOk(kc, ["get", "deploy", "nginx-deployment", "-o", "json"]));
    assert.equal(d.metadata.labels.tier, "web");
    assert.equal(d.metadata.annotations.note, "hello");
    assert.equal(d.spec.replicas, 4);
    assert.equal(d.spec.minReadySeconds, 5);
    assert.equal(d.spec.revisionHistoryLimit, 3);
    assert.deepEqual(d.spec.template.spec.containers[0].env, [{ name: "A", value: "1" }]);
    assert.equal(d.spec.template.spec.containers[0].image, "nginx:1.8");
    const selected = await kubectlOk(kc, ["get", "deploy", "-l", "tier=web", "-o", "name"]);
    assert.equal(selected.trim(), "deployment.apps/nginx-deployment");
    const none = await kubectlOk(kc, ["get", "deploy", "-l", "tier notin (web)", "-o", "name"]);
    assert.equal(none.trim(), "");
  });

  it("gets a stale update refused with 409 Conflict", async () => {
    const cm = JSON.parse(await kubectlOk(kc, ["get", "configmap", "ui-config", "-o", "json"]));
    await kubectlOk(kc, ["label", "configmap", "ui-config", "x=1"]);
    cm.data.extra = "stale";
    const r = await kubectl(kc, ["replace", "-f", "-"], { input: JSON.stringify(cm) });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /the object has been modified; please apply your changes to the latest version/,
    );
  });

  it("deletes with kubectl delete and reports what is gone", async () => {
    await kubectlOk(kc, ["create", "configmap", "short-lived", "--from-literal=a=b"]);
    const out = await kubectlOk(kc, ["delete", "configmap", "short-lived"]);
    assert.match(out, /configmap "short-lived" deleted/);
    const r = await kubectl(kc, ["get", "configmap", "short-lived"]);
    assert.match(r.stderr, /configmaps "short-lived" not found/);
  });
});
