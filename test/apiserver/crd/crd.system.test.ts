// System suite: the real kubectl (/usr/bin/kubectl) creating, using and
// deleting a CustomResourceDefinition (upstream's CronTab example).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";
import { KUBECTL, kubectl, kubectlOk } from "../../support/kubectl.js";
import { until } from "./fixtures.js";

const CRONTAB_CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
spec:
  group: stable.example.com
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                cronSpec:
                  type: string
                image:
                  type: string
                replicas:
                  type: integer
                  minimum: 1
                  maximum: 10
                  default: 1
            status:
              type: object
              properties:
                phase:
                  type: string
                readyReplicas:
                  type: integer
                selector:
                  type: string
      subresources:
        status: {}
        scale:
          specReplicasPath: .spec.replicas
          statusReplicasPath: .status.readyReplicas
          labelSelectorPath: .status.selector
      additionalPrinterColumns:
        - name: Spec
          type: string
          jsonPath: .spec.cronSpec
        - name: Replicas
          type: integer
          jsonPath: .spec.replicas
        - name: Age
          type: date
          jsonPath: .metadata.creationTimestamp
  scope: Namespaced
  names:
    plural: crontabs
    singular: crontab
    kind: CronTab
    shortNames:
    - ct
`;

const MY_CRONTAB = `apiVersion: "stable.example.com/v1"
kind: CronTab
metadata:
  name: my-new-cron-object
spec:
  cronSpec: "* * * * */5"
  image: my-awesome-cron-image
`;

describe("kubectl with a CustomResourceDefinition", () => {
  let server: TestApiServer;
  let kc: string;
  before(async () => {
    server = await startTestApiServer();
    kc = server.adminKubeconfig;
  });
  after(async () => {
    await server?.stop();
  });

  it("applies the CronTab CRD and waits for it to be established", async () => {
    const out = await kubectlOk(kc, ["apply", "-f", "-"], { input: CRONTAB_CRD });
    assert.match(
      out,
      /customresourcedefinition.apiextensions.k8s.io\/crontabs.stable.example.com created/,
    );
    await kubectlOk(kc, [
      "wait",
      "--for",
      "condition=established",
      "--timeout=30s",
      "crd/crontabs.stable.example.com",
    ]);
    const crd = JSON.parse(
      await kubectlOk(kc, ["get", "crd", "crontabs.stable.example.com", "-o", "json"]),
    );
    assert.equal(crd.metadata.generation, 1);
    assert.deepEqual(crd.metadata.finalizers, ["customresourcecleanup.apiextensions.k8s.io"]);
    assert.equal(crd.spec.conversion.strategy, "None");
    assert.equal(crd.spec.names.listKind, "CronTabList");
    assert.deepEqual(crd.status.storedVersions, ["v1"]);
    assert.deepEqual(crd.status.acceptedNames, {
      plural: "crontabs",
      singular: "crontab",
      shortNames: ["ct"],
      kind: "CronTab",
      listKind: "CronTabList",
    });
    const types = crd.status.conditions.map(
      (c: { type: string; status: string }) => `${c.type}=${c.status}`,
    );
    assert.deepEqual(types, ["NamesAccepted=True", "Established=True"]);
    const table = await kubectlOk(kc, ["get", "crds"]);
    assert.match(table, /^NAME\s+CREATED AT$/m);
    assert.match(table, /^crontabs\.stable\.example\.com\s+\d{4}-\d\d-\d\dT/m);
  });

  it("lists crontabs in api-resources with the ct short name", async () => {
    const out = await kubectlOk(kc, ["api-resources"]);
    assert.match(out, /^crontabs\s+ct\s+stable\.example\.com\/v1\s+true\s+CronTab$/m);
    assert.match(
      out,
      /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition$/m,
    );
  });

  it("applies a CronTab and reads it back with get ct and -o yaml", async () => {
    const out = await kubectlOk(kc, ["apply", "-f", "-"], { input: MY_CRONTAB });
    assert.match(out, /crontab.stable.example.com\/my-new-cron-object created/);
    const list = await kubectlOk(kc, ["get", "ct"]);
    assert.match(list, /^my-new-cron-object\s/m);
    const yaml = await kubectlOk(kc, ["get", "crontab", "my-new-cron-object", "-o", "yaml"]);
    assert.match(yaml, /^apiVersion: stable\.example\.com\/v1$/m);
    assert.match(yaml, /^kind: CronTab$/m);
    assert.match(yaml, /^ {2}cronSpec: '\* \* \* \* \*\/5'$/m);
    assert.match(yaml, /^ {2}image: my-awesome-cron-image$/m);
    assert.match(yaml, /^ {2}namespace: default$/m);
  });

  it("validates, defaults and prunes by the schema, prints its columns, explains it, refuses strategic merge", async () => {
    // Defaulted replicas, printer columns.
    const table = await kubectlOk(kc, ["get", "ct", "my-new-cron-object"]);
    assert.match(table, /^NAME\s+SPEC\s+REPLICAS\s+AGE$/m);
    assert.match(table, /^my-new-cron-object\s+\* \* \* \* \*\/5\s+1\s+\d+s$/m);
    // Out of the schema's range: 422 naming the field.
    const tooMany = await kubectl(kc, ["apply", "-f", "-"], {
      input: MY_CRONTAB.replace("my-new-cron-object", "too-many").concat("  replicas: 11\n"),
    });
    assert.notEqual(tooMany.code, 0);
    assert.match(
      tooMany.stderr,
      /spec\.replicas: Invalid value: 11: spec\.replicas in body should be less than or equal to 10/,
    );
    // Unknown fields: refused under kubectl's strict validation, pruned when not validated.
    const extra = MY_CRONTAB.replace("my-new-cron-object", "extra").concat("  colour: blue\n");
    const strict = await kubectl(kc, ["apply", "-f", "-"], { input: extra });
    assert.notEqual(strict.code, 0);
    assert.match(strict.stderr, /unknown field "spec\.colour"/);
    await kubectlOk(kc, ["apply", "--validate=false", "-f", "-"], { input: extra });
    const pruned = await kubectlOk(kc, ["get", "ct", "extra", "-o", "jsonpath={.spec}"]);
    assert.doesNotMatch(pruned, /colour/);
    // Patches: merge works, strategic merge is upstream's 415.
    await kubectlOk(kc, ["patch", "ct", "extra", "--type=merge", "-p", '{"spec":{"replicas":3}}']);
    assert.equal(
      await kubectlOk(kc, ["get", "ct", "extra", "-o", "jsonpath={.spec.replicas}"]),
      "3",
    );
    const strategic = await kubectl(kc, [
      "patch",
      "ct",
      "extra",
      "--type=strategic",
      "-p",
      '{"spec":{"replicas":4}}',
    ]);
    assert.notEqual(strategic.code, 0);
    assert.match(
      strategic.stderr,
      /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/,
    );
    // The status subresource: status is not written through the main resource.
    await kubectlOk(kc, [
      "patch",
      "ct",
      "extra",
      "--type=merge",
      "-p",
      '{"status":{"phase":"Ready"}}',
    ]);
    assert.equal(await kubectlOk(kc, ["get", "ct", "extra", "-o", "jsonpath={.status.phase}"]), "");
    await kubectlOk(kc, [
      "patch",
      "ct",
      "extra",
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"phase":"Ready"}}',
    ]);
    assert.equal(
      await kubectlOk(kc, ["get", "ct", "extra", "-o", "jsonpath={.status.phase}"]),
      "Ready",
    );
    // The scale subresource follows the CRD's paths.
    await kubectlOk(kc, ["scale", "ct", "extra", "--replicas=5"]);
    assert.equal(
      await kubectlOk(kc, ["get", "ct", "extra", "-o", "jsonpath={.spec.replicas}"]),
      "5",
    );
    await kubectlOk(kc, [
      "patch",
      "ct",
      "extra",
      "--subresource=status",
      "--type=merge",
      "-p",
      '{"status":{"readyReplicas":2,"selector":"app=cron"}}',
    ]);
    const scale = JSON.parse(
      await kubectlOk(kc, [
        "get",
        "--raw",
        "/apis/stable.example.com/v1/namespaces/default/crontabs/extra/scale",
      ]),
    );
    assert.deepEqual(
      { spec: scale.spec, status: scale.status },
      { spec: { replicas: 5 }, status: { replicas: 2, selector: "app=cron" } },
    );
    // kubectl explain reads the schema from OpenAPI.
    const explained = await kubectlOk(kc, ["explain", "crontab.spec"]);
    assert.match(explained, /replicas\s+<integer>/);
  });

  it("refuses an invalid CRD with upstream's messages", async () => {
    const bad = CRONTAB_CRD.replace(
      "name: crontabs.stable.example.com",
      "name: crontab.stable.example.com",
    );
    const r = await kubectl(kc, ["apply", "-f", "-"], { input: bad });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /metadata.name: Invalid value: "crontab.stable.example.com": must be spec.names.plural\+"."\+spec.group/,
    );
  });

  it("deleting the CRD removes its custom resources and the resource", async () => {
    const out = await kubectlOk(kc, [
      "delete",
      "crd",
      "crontabs.stable.example.com",
      "--timeout=30s",
    ]);
    assert.match(
      out,
      /customresourcedefinition.apiextensions.k8s.io "crontabs.stable.example.com" deleted/,
    );
    const gone = await kubectl(kc, ["get", "crd", "crontabs.stable.example.com"]);
    assert.notEqual(gone.code, 0);
    assert.match(gone.stderr, /NotFound|not found/);
    const stored = await server.store.list("/registry/stable.example.com/crontabs/");
    assert.equal(stored.items.length, 0);
    const resources = await kubectlOk(kc, ["api-resources"]);
    assert.doesNotMatch(resources, /^crontabs\s/m);
  });

  it("a custom resource's finalizer holds the CRD in Terminating; creates are refused meanwhile", async () => {
    await kubectlOk(kc, ["apply", "-f", "-"], { input: CRONTAB_CRD });
    await kubectlOk(kc, [
      "wait",
      "--for",
      "condition=established",
      "--timeout=30s",
      "crd/crontabs.stable.example.com",
    ]);
    const held = MY_CRONTAB.replace(
      "name: my-new-cron-object",
      "name: held\n  finalizers:\n  - example.com/hold",
    );
    await kubectlOk(kc, ["create", "-f", "-"], { input: held });
    await kubectlOk(kc, ["create", "-f", "-"], {
      input: MY_CRONTAB.replace("name: my-new-cron-object", "name: plain"),
    });
    // A watch on the custom resources, as kubectl prints it.
    const watch = spawn(
      KUBECTL,
      ["get", "crontabs", "-A", "-w", "--output-watch-events", "-o", "json"],
      { env: { ...process.env, KUBECONFIG: kc }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let watched = "";
    let watchErr = "";
    watch.stdout.on("data", (d: Buffer) => {
      watched += d.toString();
    });
    watch.stderr.on("data", (d: Buffer) => {
      watchErr += d.toString();
    });
    // One JSON event a line: {"type":"ADDED","object":{...}}.
    const parsed = () =>
      watched
        .slice(0, watched.lastIndexOf("\n") + 1)
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    const events = (type: string) => parsed().filter((e) => e.type === type).length;
    try {
      await until("watch started", () => events("ADDED") === 2, 15_000).catch((err) => {
        throw new Error(`${err}: ${watched} ${watchErr}`);
      });
      await kubectlOk(kc, ["delete", "crd", "crontabs.stable.example.com", "--wait=false"]);
      const terminating = async () => {
        const crd = JSON.parse(
          await kubectlOk(kc, ["get", "crd", "crontabs.stable.example.com", "-o", "json"]),
        );
        return (
          crd.status.conditions as {
            type: string;
            status: string;
            reason: string;
            message: string;
          }[]
        ).find((c) => c.type === "Terminating");
      };
      let cond = await terminating();
      for (let i = 0; i < 100 && cond?.reason !== "InstanceDeletionCheck"; i++) {
        await new Promise((r) => setTimeout(r, 100));
        cond = await terminating();
      }
      assert.equal(cond?.status, "True");
      assert.equal(cond?.reason, "InstanceDeletionCheck");
      assert.equal(
        cond?.message,
        "could not confirm zero CustomResources remaining: timed out waiting for the condition",
      );
      const kept = JSON.parse(await kubectlOk(kc, ["get", "ct", "held", "-o", "json"]));
      assert.ok(kept.metadata.deletionTimestamp);
      assert.deepEqual(kept.metadata.finalizers, ["example.com/hold"]);
      const plain = await kubectl(kc, ["get", "ct", "plain"]);
      assert.notEqual(plain.code, 0);

      const late = await kubectl(kc, ["create", "-f", "-"], {
        input: MY_CRONTAB.replace("name: my-new-cron-object", "name: late"),
      });
      assert.notEqual(late.code, 0);
      assert.match(
        late.stderr,
        /\(MethodNotAllowed\).*create not allowed while custom resource definition is terminating/,
      );
      // Updates still work while it terminates.
      await kubectlOk(kc, ["label", "ct", "held", "step=last"]);

      await kubectlOk(kc, [
        "patch",
        "ct",
        "held",
        "--type=merge",
        "-p",
        '{"metadata":{"finalizers":null}}',
      ]);
      await kubectlOk(kc, [
        "wait",
        "--for=delete",
        "--timeout=30s",
        "crd/crontabs.stable.example.com",
      ]);
      const stored = await server.store.list("/registry/stable.example.com/crontabs/");
      assert.equal(stored.items.length, 0);
      await until("DELETED events", () => events("DELETED") === 2, 15_000);
      const deleted = parsed().filter((e) => e.type === "DELETED");
      assert.deepEqual(deleted.map((e) => e.object.metadata.name).sort(), ["held", "plain"]);
      // The final object: marked for deletion, labelled after that.
      const last = deleted.find((e) => e.object.metadata.name === "held")?.object as {
        metadata: { deletionTimestamp?: string; labels?: Record<string, string> };
      };
      assert.ok(last.metadata.deletionTimestamp);
      assert.equal(last.metadata.labels?.step, "last");
    } finally {
      watch.kill();
    }
  });
});
