// System suite: kubectl explain, describe (with events) and get events for
// every built-in kind, driven by the real kubectl against an in-process API server.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestApiServer, type TestApiServer } from "../support/apiserver.js";
import { kubectl, kubectlOk } from "../support/kubectl.js";

const NS = "kinds";
const IMAGE = "busybox:1.36";

type Manifest = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
};

interface Case {
  /** What `kubectl describe` is given (resource, with its group when not core). */
  readonly resource: string;
  readonly manifest: Manifest;
  /**
   * Whether upstream's describer prints an Events section: kubectl 1.32's
   * describe.go calls searchEvents for every kind but Namespace, LimitRange,
   * ResourceQuota, Secret, NetworkPolicy and the four RBAC kinds (kinds
   * without a describer of their own use the generic one, which does).
   */
  readonly events: boolean;
}

const podSpec = (extra: Record<string, unknown> = {}) => ({
  containers: [{ name: "c", image: IMAGE }],
  ...extra,
});
const template = (app: string, extra: Record<string, unknown> = {}) => ({
  metadata: { labels: { app } },
  spec: podSpec(extra),
});
const ns = (name: string, labels?: Record<string, string>) => ({
  name,
  namespace: NS,
  ...(labels ? { labels } : {}),
});

const CASES: readonly Case[] = [
  {
    resource: "namespace",
    events: false,
    manifest: { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
  },
  {
    resource: "pod",
    events: true,
    manifest: {
      apiVersion: "v1",
      kind: "Pod",
      metadata: ns("probe-pod", { app: "probe" }),
      spec: podSpec(),
    },
  },
  {
    resource: "service",
    events: true,
    manifest: {
      apiVersion: "v1",
      kind: "Service",
      metadata: ns("probe-svc"),
      spec: { selector: { app: "probe" }, ports: [{ port: 80 }] },
    },
  },
  {
    resource: "endpoints",
    events: true,
    manifest: {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: ns("probe-ep"),
      subsets: [{ addresses: [{ ip: "10.1.2.3" }], ports: [{ port: 80 }] }],
    },
  },
  {
    resource: "configmap",
    events: true,
    manifest: { apiVersion: "v1", kind: "ConfigMap", metadata: ns("probe-cm"), data: { a: "b" } },
  },
  {
    resource: "secret",
    events: false,
    manifest: {
      apiVersion: "v1",
      kind: "Secret",
      metadata: ns("probe-secret"),
      data: { a: "Yg==" },
    },
  },
  {
    resource: "serviceaccount",
    events: true,
    manifest: { apiVersion: "v1", kind: "ServiceAccount", metadata: ns("probe-sa") },
  },
  {
    resource: "node",
    events: true,
    manifest: { apiVersion: "v1", kind: "Node", metadata: { name: "probe-node" } },
  },
  {
    resource: "persistentvolume",
    events: true,
    manifest: {
      apiVersion: "v1",
      kind: "PersistentVolume",
      metadata: { name: "probe-pv" },
      spec: {
        capacity: { storage: "1Gi" },
        accessModes: ["ReadWriteOnce"],
        hostPath: { path: "/tmp/probe-pv" },
      },
    },
  },
  {
    resource: "persistentvolumeclaim",
    events: true,
    manifest: {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: ns("probe-pvc"),
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } },
    },
  },
  {
    resource: "replicationcontroller",
    events: true,
    manifest: {
      apiVersion: "v1",
      kind: "ReplicationController",
      metadata: ns("probe-rc"),
      spec: { replicas: 0, selector: { app: "probe-rc" }, template: template("probe-rc") },
    },
  },
  {
    resource: "limitrange",
    events: false,
    manifest: {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: ns("probe-lr"),
      spec: { limits: [{ type: "Container", default: { cpu: "500m" } }] },
    },
  },
  {
    resource: "resourcequota",
    events: false,
    manifest: {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: ns("probe-rq"),
      spec: { hard: { pods: "50" } },
    },
  },
  {
    resource: "podtemplate",
    events: true,
    manifest: {
      apiVersion: "v1",
      kind: "PodTemplate",
      metadata: ns("probe-pt"),
      template: template("probe-pt"),
    },
  },
  {
    resource: "deployments.apps",
    events: true,
    manifest: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: ns("probe-deploy"),
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "probe-deploy" } },
        template: template("probe-deploy"),
      },
    },
  },
  {
    resource: "replicasets.apps",
    events: true,
    manifest: {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: ns("probe-rs"),
      spec: {
        replicas: 0,
        selector: { matchLabels: { app: "probe-rs" } },
        template: template("probe-rs"),
      },
    },
  },
  {
    resource: "statefulsets.apps",
    events: true,
    manifest: {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: ns("probe-sts"),
      spec: {
        replicas: 0,
        serviceName: "probe-svc",
        selector: { matchLabels: { app: "probe-sts" } },
        template: template("probe-sts"),
      },
    },
  },
  {
    resource: "daemonsets.apps",
    events: true,
    manifest: {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: ns("probe-ds"),
      spec: { selector: { matchLabels: { app: "probe-ds" } }, template: template("probe-ds") },
    },
  },
  {
    resource: "controllerrevisions.apps",
    events: true,
    manifest: {
      apiVersion: "apps/v1",
      kind: "ControllerRevision",
      metadata: ns("probe-cr"),
      revision: 1,
      data: { spec: {} },
    },
  },
  {
    resource: "jobs.batch",
    events: true,
    manifest: {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: ns("probe-job"),
      spec: { suspend: true, template: { spec: podSpec({ restartPolicy: "Never" }) } },
    },
  },
  {
    resource: "cronjobs.batch",
    events: true,
    manifest: {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: ns("probe-cj"),
      spec: {
        schedule: "*/5 * * * *",
        suspend: true,
        jobTemplate: { spec: { template: { spec: podSpec({ restartPolicy: "Never" }) } } },
      },
    },
  },
  {
    resource: "horizontalpodautoscalers.autoscaling",
    events: true,
    manifest: {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: ns("probe-hpa"),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "probe-deploy" },
        minReplicas: 1,
        maxReplicas: 3,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 80 } },
          },
        ],
      },
    },
  },
  {
    resource: "poddisruptionbudgets.policy",
    events: true,
    manifest: {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: ns("probe-pdb"),
      spec: { minAvailable: 1, selector: { matchLabels: { app: "probe" } } },
    },
  },
  {
    resource: "leases.coordination.k8s.io",
    events: true,
    manifest: {
      apiVersion: "coordination.k8s.io/v1",
      kind: "Lease",
      metadata: ns("probe-lease"),
      spec: { holderIdentity: "someone", leaseDurationSeconds: 15 },
    },
  },
  {
    resource: "endpointslices.discovery.k8s.io",
    events: true,
    manifest: {
      apiVersion: "discovery.k8s.io/v1",
      kind: "EndpointSlice",
      metadata: ns("probe-eps", { "kubernetes.io/service-name": "probe-svc" }),
      addressType: "IPv4",
      endpoints: [{ addresses: ["10.1.2.3"] }],
      ports: [{ name: "http", port: 80, protocol: "TCP" }],
    },
  },
  {
    resource: "ingresses.networking.k8s.io",
    events: true,
    manifest: {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: ns("probe-ing"),
      spec: {
        ingressClassName: "probe-ic",
        defaultBackend: { service: { name: "probe-svc", port: { number: 80 } } },
      },
    },
  },
  {
    resource: "ingressclasses.networking.k8s.io",
    events: true,
    manifest: {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: { name: "probe-ic" },
      spec: { controller: "example.com/probe" },
    },
  },
  {
    resource: "networkpolicies.networking.k8s.io",
    events: false,
    manifest: {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: ns("probe-np"),
      spec: { podSelector: {}, policyTypes: ["Ingress"] },
    },
  },
  {
    resource: "storageclasses.storage.k8s.io",
    events: true,
    manifest: {
      apiVersion: "storage.k8s.io/v1",
      kind: "StorageClass",
      metadata: { name: "probe-sc" },
      provisioner: "example.com/probe",
    },
  },
  {
    resource: "priorityclasses.scheduling.k8s.io",
    events: true,
    manifest: {
      apiVersion: "scheduling.k8s.io/v1",
      kind: "PriorityClass",
      metadata: { name: "probe-pc" },
      value: 1000,
    },
  },
  {
    resource: "roles.rbac.authorization.k8s.io",
    events: false,
    manifest: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "Role",
      metadata: ns("probe-role"),
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
    },
  },
  {
    resource: "rolebindings.rbac.authorization.k8s.io",
    events: false,
    manifest: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "RoleBinding",
      metadata: ns("probe-rb"),
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "probe-role" },
      subjects: [{ kind: "ServiceAccount", name: "probe-sa", namespace: NS }],
    },
  },
  {
    resource: "clusterroles.rbac.authorization.k8s.io",
    events: false,
    manifest: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "probe-clusterrole" },
      rules: [{ apiGroups: [""], resources: ["nodes"], verbs: ["get"] }],
    },
  },
  {
    resource: "clusterrolebindings.rbac.authorization.k8s.io",
    events: false,
    manifest: {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "probe-crb" },
      roleRef: {
        apiGroup: "rbac.authorization.k8s.io",
        kind: "ClusterRole",
        name: "probe-clusterrole",
      },
      subjects: [{ kind: "ServiceAccount", name: "probe-sa", namespace: NS }],
    },
  },
  {
    resource: "customresourcedefinitions.apiextensions.k8s.io",
    events: true,
    manifest: {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: "widgets.kinds.example.com" },
      spec: {
        group: "kinds.example.com",
        scope: "Namespaced",
        names: { plural: "widgets", kind: "Widget" },
        versions: [
          {
            name: "v1",
            served: true,
            storage: true,
            schema: { openAPIV3Schema: { type: "object" } },
          },
        ],
      },
    },
  },
  {
    // The core Event as an object of its own, described with the events about it.
    resource: "events",
    events: true,
    manifest: {
      apiVersion: "v1",
      kind: "Event",
      metadata: ns("probe-subject"),
      // No uid: describe's involvedObject.uid selector must keep it out of the ConfigMap's events.
      involvedObject: { kind: "ConfigMap", name: "probe-cm", namespace: NS },
      reason: "SubjectOnly",
      message: "an event that is itself described",
      type: "Normal",
    },
  },
];

/** Runs fn over items, at most `limit` at a time. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

interface ApiResource {
  readonly name: string;
  readonly plural: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

/** The reason of the event posted about a kind. */
const reasonFor = (kind: string) => `Probe${kind}`;

describe("kubectl across every built-in kind", () => {
  let server: TestApiServer;
  let kc: string;
  before(async () => {
    server = await startTestApiServer();
    kc = server.adminKubeconfig;
  });
  after(async () => {
    await server?.stop();
  });

  it("explains every built-in kind", async () => {
    const names = (await kubectlOk(kc, ["api-resources", "-o", "name"]))
      .split("\n")
      .filter(Boolean);
    // NAME [SHORTNAMES] APIVERSION NAMESPACED KIND, in the same order as -o name.
    const rows = (await kubectlOk(kc, ["api-resources", "--no-headers"]))
      .split("\n")
      .filter(Boolean)
      .map((l) => l.trim().split(/\s+/));
    assert.equal(rows.length, names.length);
    const resources: ApiResource[] = rows.map((cols, i) => {
      const apiVersion = cols[cols.length - 3] as string;
      const slash = apiVersion.indexOf("/");
      return {
        name: names[i] as string,
        plural: cols[0] as string,
        group: slash < 0 ? "" : apiVersion.slice(0, slash),
        version: apiVersion.slice(slash + 1),
        kind: cols[cols.length - 1] as string,
      };
    });
    for (const [name, kind] of [
      ["pods", "Pod"],
      ["deployments.apps", "Deployment"],
      ["horizontalpodautoscalers.autoscaling", "HorizontalPodAutoscaler"],
      ["events.events.k8s.io", "Event"],
      ["clusterrolebindings.rbac.authorization.k8s.io", "ClusterRoleBinding"],
    ]) {
      assert.ok(
        resources.some((r) => r.name === name && r.kind === kind),
        `api-resources lists ${name}`,
      );
    }
    // Not explained here: metrics.k8s.io, served from memory the way the
    // aggregated metrics-server would serve it, is kept out of OpenAPI.
    const builtin = resources.filter((r) => r.group !== "metrics.k8s.io");
    assert.ok(builtin.some((r) => r.name === "componentstatuses"));
    assert.ok(builtin.length >= 35, `${builtin.length} built-in resources`);
    const failures: string[] = [];
    await mapLimit(builtin, 4, async (r) => {
      // kubectl picks the first resource whose name prefixes the argument,
      // so events.events.k8s.io would mean the core events' field
      // "events.k8s.io" (upstream too): name the version when the plural is
      // served by another group as well.
      const ambiguous = resources.some((o) => o.plural === r.plural && o.group !== r.group);
      const target = (field: string) =>
        ambiguous
          ? [`${r.plural}${field}`, `--api-version=${r.group ? `${r.group}/` : ""}${r.version}`]
          : [`${r.name}${field}`];
      const top = await kubectl(kc, ["explain", ...target("")]);
      const what = `explain ${target("").join(" ")}`;
      if (top.code !== 0) {
        failures.push(`${what}: exit ${top.code}: ${top.stderr}`);
        return;
      }
      if (!new RegExp(`^KIND:\\s+${r.kind}$`, "m").test(top.stdout))
        failures.push(`${what}: no KIND: ${r.kind}\n${top.stdout.slice(0, 300)}`);
      if (!new RegExp(`^VERSION:\\s+${r.version}$`, "m").test(top.stdout))
        failures.push(`${what}: no VERSION: ${r.version}\n${top.stdout.slice(0, 300)}`);
      if (
        r.group &&
        !new RegExp(`^GROUP:\\s+${r.group.replace(/\./g, "\\.")}$`, "m").test(top.stdout)
      )
        failures.push(`${what}: no GROUP: ${r.group}`);
      const field = /^ {2}spec\t/m.test(top.stdout) ? "spec" : "metadata";
      const sub = await kubectl(kc, ["explain", ...target(`.${field}`)]);
      if (sub.code !== 0 || !new RegExp(`^FIELD:\\s+${field} <`, "m").test(sub.stdout))
        failures.push(
          `explain ${target(`.${field}`).join(" ")}: exit ${sub.code}: ${sub.stderr}${sub.stdout.slice(0, 300)}`,
        );
    });
    assert.deepEqual(failures, []);
  });

  it("describes every built-in kind with its events", async () => {
    const list = { apiVersion: "v1", kind: "List", items: CASES.map((c) => c.manifest) };
    const applied = await kubectlOk(kc, ["apply", "-f", "-"], { input: JSON.stringify(list) });
    assert.equal(applied.split("\n").filter(Boolean).length, CASES.length, applied);

    // The stored objects, in manifest order, for their uids.
    const stored = JSON.parse(
      await kubectlOk(kc, ["get", "-f", "-", "-o", "json"], { input: JSON.stringify(list) }),
    ) as { items: Manifest[] };
    assert.equal(stored.items.length, CASES.length);
    const now = new Date().toISOString().replace(/\.\d+Z$/, "Z");
    const events = stored.items.map((o) => {
      const md = o.metadata as { name: string; namespace?: string; uid?: string };
      assert.ok(md.uid, `${o.kind} ${md.name} has a uid`);
      return {
        apiVersion: "v1",
        kind: "Event",
        metadata: { name: `probe-${o.kind.toLowerCase()}`, namespace: md.namespace ?? "default" },
        involvedObject: {
          apiVersion: o.apiVersion,
          kind: o.kind,
          name: md.name,
          ...(md.namespace ? { namespace: md.namespace } : {}),
          uid: md.uid,
        },
        reason: reasonFor(o.kind),
        message: `probing ${o.kind} ${md.name}`,
        type: "Normal",
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: "kinds-test" },
      };
    });
    await kubectlOk(kc, ["create", "-f", "-"], {
      input: JSON.stringify({ apiVersion: "v1", kind: "List", items: events }),
    });

    const failures: string[] = [];
    await mapLimit(CASES, 4, async (c) => {
      const { name, namespace } = c.manifest.metadata;
      const args = ["describe", c.resource, name, ...(namespace ? ["-n", namespace] : [])];
      const r = await kubectl(kc, args);
      const what = `kubectl ${args.join(" ")}`;
      if (r.code !== 0) {
        failures.push(`${what}: exit ${r.code}: ${r.stderr}`);
        return;
      }
      if (!new RegExp(`^Name:\\s+${name}$`, "m").test(r.stdout))
        failures.push(`${what}: no Name: ${name}\n${r.stdout}`);
      if (!c.events) return;
      const at = r.stdout.search(/^Events:/m);
      if (at < 0) {
        failures.push(`${what}: no Events section\n${r.stdout}`);
        return;
      }
      const section = r.stdout.slice(at);
      if (!new RegExp(`\\s${reasonFor(c.manifest.kind)}\\s`).test(section))
        failures.push(`${what}: no ${reasonFor(c.manifest.kind)} under Events:\n${section}`);
      // Only events about this object: same name and namespace, but another kind or uid, stay out.
      const stray = section.match(/\b(Probe[A-Za-z]+|SubjectOnly)\b/g) ?? [];
      for (const reason of stray) {
        if (reason !== reasonFor(c.manifest.kind))
          failures.push(`${what}: event ${reason} about another object\n${section}`);
      }
    });
    assert.deepEqual(failures, []);
  });

  it("lists events with upstream's columns", async () => {
    const all = await kubectlOk(kc, ["get", "events", "-A"]);
    const [header, ...rows] = all.split("\n").filter(Boolean);
    assert.match(
      header as string,
      /^NAMESPACE\s+LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/,
      "upstream's event columns",
    );
    assert.ok(
      rows.some((l) => /^kinds\s+\S+\s+Normal\s+ProbePod\s+pod\/probe-pod\s+probing Pod/.test(l)),
      all,
    );
    assert.ok(
      rows.some((l) =>
        /^kinds\s+\S+\s+Normal\s+ProbeDeployment\s+deployment\/probe-deploy\s/.test(l),
      ),
      all,
    );
    assert.ok(
      rows.some((l) => /^default\s+\S+\s+Normal\s+ProbeNode\s+node\/probe-node\s/.test(l)),
      all,
    );

    const pods = await kubectlOk(kc, [
      "get",
      "events",
      "-A",
      "--field-selector",
      "involvedObject.kind=Pod",
      "-o",
      "custom-columns=REASON:.reason,KIND:.involvedObject.kind",
      "--no-headers",
    ]);
    assert.deepEqual(
      pods
        .split("\n")
        .filter(Boolean)
        .map((l) => l.trim().split(/\s+/)),
      [["ProbePod", "Pod"]],
    );

    const inNs = await kubectlOk(kc, [
      "get",
      "events",
      "-n",
      NS,
      "--field-selector",
      "involvedObject.kind=Pod",
    ]);
    const nsLines = inNs.split("\n").filter(Boolean);
    assert.match(nsLines[0] as string, /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    assert.equal(nsLines.length, 2, inNs);
    assert.match(nsLines[1] as string, /\sProbePod\s+pod\/probe-pod\s/);

    // Other field selectors upstream supports on events.
    const byReason = await kubectlOk(kc, [
      "get",
      "events",
      "-A",
      "--field-selector",
      "reason=ProbeLease,type=Normal",
      "-o",
      "name",
    ]);
    assert.deepEqual(byReason.split("\n").filter(Boolean), ["event/probe-lease"]);
  });
});
