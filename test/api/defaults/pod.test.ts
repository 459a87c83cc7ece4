import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  defaultPod,
  defaultPodTemplateSpec,
  defaultPullPolicy,
  podQOSClass,
} from "../../../src/api/defaults/pod.js";
import type { KubeObject } from "../../../src/api/strategy.js";

describe("image pull policy", () => {
  const cases: Array<[string, string]> = [
    ["nginx", "Always"],
    ["nginx:latest", "Always"],
    ["nginx:1.7.9", "IfNotPresent"],
    ["localhost:5000/nginx", "Always"],
    ["localhost:5000/nginx:1.0", "IfNotPresent"],
    ["nginx@sha256:abcd", "IfNotPresent"],
  ];
  for (const [image, want] of cases)
    it(`is ${want} for ${image}`, () => assert.equal(defaultPullPolicy(image), want));
});

describe("Pod defaults", () => {
  it("fills in the pod, its containers, probes, env and volumes", () => {
    const pod: KubeObject = {
      spec: {
        containers: [
          {
            name: "c",
            image: "busybox",
            env: [{ name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } }],
            livenessProbe: { httpGet: { port: 8080 } },
            resources: { limits: { cpu: "500m" } },
          },
        ],
        volumes: [
          { name: "cfg", configMap: { name: "cfg" } },
          { name: "scratch" },
          { name: "h", hostPath: { path: "/tmp" } },
        ],
      },
    };
    defaultPod(pod);
    assert.deepEqual(pod, {
      spec: {
        containers: [
          {
            name: "c",
            image: "busybox",
            env: [
              {
                name: "NODE",
                valueFrom: { fieldRef: { fieldPath: "spec.nodeName", apiVersion: "v1" } },
              },
            ],
            livenessProbe: {
              httpGet: { port: 8080, path: "/", scheme: "HTTP" },
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
            resources: { limits: { cpu: "500m" }, requests: { cpu: "500m" } },
            imagePullPolicy: "Always",
            terminationMessagePath: "/dev/termination-log",
            terminationMessagePolicy: "File",
          },
        ],
        volumes: [
          { name: "cfg", configMap: { name: "cfg", defaultMode: 420 } },
          { name: "scratch", emptyDir: {} },
          { name: "h", hostPath: { path: "/tmp", type: "" } },
        ],
        enableServiceLinks: true,
        dnsPolicy: "ClusterFirst",
        restartPolicy: "Always",
        securityContext: {},
        terminationGracePeriodSeconds: 30,
        schedulerName: "default-scheduler",
      },
      status: { phase: "Pending", qosClass: "Burstable" },
    });
  });

  it("gives templates the spec defaults but not enableServiceLinks", () => {
    const t = { spec: { containers: [{ name: "c", image: "x:1" }] } };
    defaultPodTemplateSpec(t);
    assert.equal((t.spec as Record<string, unknown>).enableServiceLinks, undefined);
    assert.equal((t.spec as Record<string, unknown>).restartPolicy, "Always");
  });

  it("copies container ports to host ports on the host network", () => {
    const pod: KubeObject = {
      spec: {
        hostNetwork: true,
        containers: [{ name: "c", image: "x", ports: [{ containerPort: 53 }] }],
      },
    };
    defaultPod(pod);
    assert.deepEqual((pod.spec as { containers: Array<{ ports: unknown }> }).containers[0]?.ports, [
      { containerPort: 53, hostPort: 53, protocol: "TCP" },
    ]);
  });
});

describe("QoS class", () => {
  const c = (resources: unknown) => ({ containers: [{ name: "c", resources }] });
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ["BestEffort without resources", c(undefined), "BestEffort"],
    [
      "Guaranteed with equal requests and limits",
      c({ requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1000m", memory: "1Gi" } }),
      "Guaranteed",
    ],
    ["Burstable with requests only", c({ requests: { cpu: "100m" } }), "Burstable"],
  ];
  for (const [name, spec, want] of cases)
    it(`is ${name}`, () => assert.equal(podQOSClass(spec), want));
});
