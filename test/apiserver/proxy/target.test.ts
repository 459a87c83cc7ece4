import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Endpoints, Node, Pod, Service } from "kubernetes-types/core/v1.js";
import {
  nodeTarget,
  parseProxyName,
  podTarget,
  proxyRemainder,
  serviceTarget,
} from "../../../src/apiserver/proxy/target.js";

describe("proxy targets", () => {
  it("splits [scheme:]name[:port] and refuses anything else", () => {
    assert.deepEqual(parseProxyName("web"), { scheme: "", name: "web", port: "" });
    assert.deepEqual(parseProxyName("web:8080"), { scheme: "", name: "web", port: "8080" });
    assert.deepEqual(parseProxyName("https:web:"), { scheme: "https", name: "web", port: "" });
    assert.throws(() => parseProxyName("ftp:web:21"), /invalid request/);
    assert.throws(() => parseProxyName("a:b:c:d"), /invalid request/);
    assert.throws(() => parseProxyName(":80"), /invalid request/);
  });

  it("keeps what follows /proxy, trailing slash included", () => {
    assert.equal(proxyRemainder("/api/v1/nodes/n1/proxy/stats/summary"), "/stats/summary");
    assert.equal(proxyRemainder("/api/v1/namespaces/d/services/web:http/proxy/"), "/");
    assert.equal(proxyRemainder("/api/v1/namespaces/d/pods/web/proxy"), "");
    assert.equal(proxyRemainder("/api/v1/nodes/proxy/proxy/x/proxy/y"), "/x/proxy/y");
  });

  it("reaches a node's kubelet on its InternalIP and kubelet port over HTTPS", () => {
    const node: Node = {
      status: {
        addresses: [
          { type: "Hostname", address: "n1" },
          { type: "InternalIP", address: "10.0.0.5" },
        ],
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      },
    };
    assert.deepEqual(nodeTarget(parseProxyName("n1"), node), {
      scheme: "https",
      host: "10.0.0.5",
      port: "10250",
    });
    assert.deepEqual(nodeTarget(parseProxyName("http:n1:9100"), node), {
      scheme: "http",
      host: "10.0.0.5",
      port: "9100",
    });
  });

  it("reaches a pod on its IP, by default on its first declared container port", () => {
    const pod: Pod = {
      spec: {
        containers: [
          { name: "side", image: "x" },
          { name: "web", image: "x", ports: [{ containerPort: 8080 }, { containerPort: 9090 }] },
        ],
      },
      status: { podIP: "10.42.0.7" },
    };
    assert.deepEqual(podTarget(parseProxyName("web"), pod), {
      scheme: "http",
      host: "10.42.0.7",
      port: "8080",
    });
    assert.equal(podTarget(parseProxyName("web:81"), pod).port, "81");
    assert.throws(() => podTarget(parseProxyName("web"), { spec: { containers: [] } }), /no IP/);
  });

  it("picks a ready endpoint of the named service port", () => {
    const svc: Service = {
      spec: {
        ports: [
          { name: "http", port: 80 },
          { name: "metrics", port: 9000 },
        ],
      },
    };
    const eps: Endpoints = {
      subsets: [
        {
          addresses: [{ ip: "10.42.0.7" }, { ip: "10.42.0.8" }],
          notReadyAddresses: [{ ip: "10.42.0.9" }],
          ports: [
            { name: "http", port: 8080 },
            { name: "metrics", port: 9090 },
          ],
        },
      ],
    };
    assert.deepEqual(
      serviceTarget(parseProxyName("web:http"), svc, eps, () => 1),
      { scheme: "http", host: "10.42.0.8", port: "8080" },
    );
    assert.equal(serviceTarget(parseProxyName("web:9000"), svc, eps, () => 0).port, "9090");
    assert.throws(() => serviceTarget(parseProxyName("web"), svc, eps), /name one of them/);
    assert.throws(() => serviceTarget(parseProxyName("web:nope"), svc, eps), /no service port/);
    assert.throws(
      () => serviceTarget(parseProxyName("web:http"), svc, { subsets: [] }),
      /no endpoints available/,
    );
  });
});
