import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  configMapPrinter,
  leasePrinter,
  namespacePrinter,
  priorityClassPrinter,
  resourceQuotaPrinter,
  secretPrinter,
  serviceAccountPrinter,
} from "../../../src/api/tables/config.js";
import { ago, DAY, NOW, obj } from "./fixtures.js";

const meta = (name: string) => ({ name, creationTimestamp: ago(DAY) });

describe("namespaced configuration printers", () => {
  const cases: Array<{
    name: string;
    printer: typeof namespacePrinter;
    object: object;
    want: unknown[];
  }> = [
    {
      name: "a namespace shows its phase",
      printer: namespacePrinter,
      object: { metadata: meta("default"), status: { phase: "Active" } },
      want: ["default", "Active", "24h"],
    },
    {
      name: "a secret shows its type and key count",
      printer: secretPrinter,
      object: {
        metadata: meta("tls"),
        type: "kubernetes.io/tls",
        data: { "tls.crt": "", "tls.key": "" },
      },
      want: ["tls", "kubernetes.io/tls", 2, "24h"],
    },
    {
      name: "a config map counts text and binary keys",
      printer: configMapPrinter,
      object: { metadata: meta("cfg"), data: { a: "1" }, binaryData: { b: "AA==" } },
      want: ["cfg", 2, "24h"],
    },
    {
      name: "a service account counts its secrets",
      printer: serviceAccountPrinter,
      object: { metadata: meta("default") },
      want: ["default", 0, "24h"],
    },
    {
      name: "a lease shows its holder",
      printer: leasePrinter,
      object: { metadata: meta("kube-scheduler"), spec: { holderIdentity: "node-1_abc" } },
      want: ["kube-scheduler", "node-1_abc", "24h"],
    },
    {
      name: "a priority class shows value, global default and preemption policy",
      printer: priorityClassPrinter,
      object: {
        metadata: meta("system-node-critical"),
        value: 2000001000,
        preemptionPolicy: "PreemptLowerPriority",
      },
      want: ["system-node-critical", 2000001000, false, "24h", "PreemptLowerPriority"],
    },
    {
      name: "a resource quota splits requests from limits, sorted by resource",
      printer: resourceQuotaPrinter,
      object: {
        metadata: meta("compute"),
        status: {
          hard: { "requests.cpu": "1", pods: "10", "limits.memory": "2Gi", "limits.cpu": "2" },
          used: { "requests.cpu": "500m", pods: "3", "limits.cpu": "1" },
        },
      },
      want: [
        "compute",
        "pods: 3/10, requests.cpu: 500m/1",
        "limits.cpu: 1/2, limits.memory: 0/2Gi",
        "24h",
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(c.printer.row(obj(c.object as Record<string, unknown>), NOW), c.want);
    });
  }
});
