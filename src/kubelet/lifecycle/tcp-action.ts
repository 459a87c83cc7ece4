/** tcpSocket actions: the kubelet opens a TCP connection to the pod and closes it. */
import { connect } from "node:net";
import type { Container, TCPSocketAction } from "kubernetes-types/core/v1.js";
import type { ActionResult } from "./action-result.js";
import type { ActionOptions } from "./exec-action.js";
import { joinHostPort, resolveContainerPort } from "./port.js";

/**
 * Success when a connection to host (default the pod IP) and port (number or
 * container port name) opens within the timeout; otherwise a failure whose
 * output is Go's dial error (`dial tcp 10.0.0.5:80: connect: connection
 * refused`, `dial tcp 10.0.0.5:80: i/o timeout`).
 */
export async function runTcpAction(
  action: TCPSocketAction,
  target: { podIP: string; container: Container },
  timeoutSeconds: number,
  options: ActionOptions = {},
): Promise<ActionResult> {
  const host = action.host || target.podIP;
  if (!host) return { ok: false, output: "", error: "the pod has no IP" };
  const port = resolveContainerPort(action.port, target.container);
  if ("error" in port) return { ok: false, output: "", error: port.error };
  const address = joinHostPort(host, port.port);
  const signal = options.signal;
  if (signal?.aborted) return { ok: false, output: "", error: "tcp action cancelled" };
  return new Promise((resolve) => {
    const socket = connect({ host, port: port.port });
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: ActionResult) => {
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      socket.removeAllListeners();
      socket.on("error", () => {});
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish({ ok: false, output: "", error: "tcp action cancelled" });
    signal?.addEventListener("abort", onAbort, { once: true });
    if (timeoutSeconds > 0) {
      timer = setTimeout(
        () => finish({ ok: false, output: `dial tcp ${address}: i/o timeout`, timedOut: true }),
        timeoutSeconds * 1000,
      );
    }
    socket.once("connect", () => finish({ ok: true, output: "" }));
    socket.once("error", (err: NodeJS.ErrnoException) =>
      finish({ ok: false, output: `dial tcp ${address}: ${dialError(err)}` }),
    );
  });
}

function dialError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case "ECONNREFUSED":
      return "connect: connection refused";
    case "EHOSTUNREACH":
      return "connect: no route to host";
    case "ENETUNREACH":
      return "connect: network is unreachable";
    default:
      return err.message;
  }
}
