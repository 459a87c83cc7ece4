/**
 * pods/log: finds the pod's node and streams the container's log from that
 * node's kubelet (/containerLogs) over TLS with the API server's
 * kubelet-client certificate, as upstream's LogREST does.
 */

import type { IncomingMessage, ServerResponse } from "node:http";
import { request } from "node:https";
import type { KubeObject } from "../../api/strategy.js";
import type { KeyPairPem } from "../../pki/certs.js";
import { badRequest, internalError, methodNotAllowed } from "../status.js";
import { kubeletLocation, kubeletLogQuery, logContainer } from "./location.js";

export interface PodLogRequest {
  readonly verb: string;
  readonly pod: KubeObject;
  readonly node: (name: string) => Promise<KubeObject>;
  readonly query: URLSearchParams;
  readonly client: KeyPairPem | undefined;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
}

export async function servePodLog(r: PodLogRequest): Promise<void> {
  if (r.verb !== "get") throw methodNotAllowed();
  const pod = r.pod as {
    metadata?: { name?: string; namespace?: string };
    spec?: { nodeName?: string; containers?: { name: string }[] };
  };
  const container = logContainer(pod, r.query.get("container"));
  const query = kubeletLogQuery(r.query);
  const nodeName = pod.spec?.nodeName;
  if (!nodeName) throw badRequest(`pod ${pod.metadata?.name ?? ""} does not have a host assigned`);
  const { host, port } = kubeletLocation(nodeName, (await r.node(nodeName)) as never);
  if (!r.client) throw internalError("the API server has no kubelet client certificate");
  const path = `/containerLogs/${encodeURIComponent(pod.metadata?.namespace ?? "")}/${encodeURIComponent(pod.metadata?.name ?? "")}/${encodeURIComponent(container)}${query.size ? `?${query}` : ""}`;
  const upstream = await new Promise<IncomingMessage>((resolve, reject) => {
    const out = request(
      {
        host,
        port,
        path,
        method: "GET",
        cert: r.client?.cert,
        key: r.client?.key,
        // The kubelet's certificate is self-signed (upstream: no --kubelet-certificate-authority).
        rejectUnauthorized: false,
      },
      resolve,
    );
    out.on("error", (err) =>
      reject(internalError(`Get "https://${host}:${port}${path}": ${err.message}`)),
    );
    r.req.on("close", () => out.destroy());
    out.end();
  });
  if (upstream.statusCode !== 200) {
    let text = "";
    for await (const chunk of upstream) text += String(chunk);
    const message = text.trim() || `kubelet answered ${upstream.statusCode}`;
    if (upstream.statusCode === 400 || upstream.statusCode === 404) throw badRequest(message);
    throw internalError(message);
  }
  r.res.writeHead(200, { "content-type": "text/plain", "transfer-encoding": "chunked" });
  upstream.pipe(r.res);
  await new Promise<void>((resolve) => {
    upstream.on("end", resolve);
    upstream.on("error", () => resolve());
    r.res.on("close", () => {
      upstream.destroy();
      resolve();
    });
  });
}
