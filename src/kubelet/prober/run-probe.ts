/** One probe attempt: the action the probe names, run with upstream's retries on errors. */
import type { Container, EnvVar, Pod, Probe } from "kubernetes-types/core/v1.js";
import type { RuntimeService } from "../../runtime/cri.js";
import { expand, lookupIn } from "../../runtime/spec/expand.js";
import { type ActionResult, errorMessage } from "../lifecycle/action-result.js";
import { runExecAction } from "../lifecycle/exec-action.js";
import { podName } from "../lifecycle/hooks.js";
import { runHttpGetAction } from "../lifecycle/http-action.js";
import { runTcpAction } from "../lifecycle/tcp-action.js";
import { runGrpcAction } from "./grpc-action.js";

/** Upstream's probe.Result plus errors: `warning` counts as success, `error` is thrown away. */
export type ProbeOutcome =
  | { result: "success" | "warning" | "failure"; output: string }
  | { result: "error"; error: string };

export interface ProbeTarget {
  pod: Pod;
  container: Container;
  containerId: string;
  podIP: string | undefined;
}

/** Upstream retries an attempt that errored (not one that failed) up to this many times. */
const MAX_PROBE_RETRIES = 3;

export async function runProbe(
  runtime: RuntimeService,
  probe: Probe,
  target: ProbeTarget,
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<ProbeOutcome> {
  let outcome: ProbeOutcome = { result: "error", error: "probe not run" };
  for (let i = 0; i < MAX_PROBE_RETRIES; i++) {
    outcome = await runOnce(runtime, probe, target, timeoutSeconds, signal);
    if (outcome.result !== "error" || signal?.aborted) break;
  }
  return outcome;
}

async function runOnce(
  runtime: RuntimeService,
  probe: Probe,
  target: ProbeTarget,
  timeoutSeconds: number,
  signal: AbortSignal | undefined,
): Promise<ProbeOutcome> {
  const options = signal === undefined ? {} : { signal };
  const { container, podIP } = target;
  try {
    if (probe.exec) {
      const command = expandStatic(probe.exec.command ?? [], container.env ?? []);
      return verdict(
        await runExecAction(runtime, target.containerId, command, timeoutSeconds, options),
      );
    }
    if (probe.httpGet) {
      if (!probe.httpGet.host && !podIP) return { result: "error", error: "the pod has no IP" };
      return verdict(
        await runHttpGetAction(
          probe.httpGet,
          { podIP: podIP ?? "", container },
          timeoutSeconds,
          options,
        ),
      );
    }
    if (probe.tcpSocket) {
      if (!probe.tcpSocket.host && !podIP) return { result: "error", error: "the pod has no IP" };
      return verdict(
        await runTcpAction(
          probe.tcpSocket,
          { podIP: podIP ?? "", container },
          timeoutSeconds,
          options,
        ),
      );
    }
    if (probe.grpc) {
      if (!podIP) return { result: "error", error: "the pod has no IP" };
      return verdict(await runGrpcAction(probe.grpc, podIP, timeoutSeconds, signal));
    }
    return {
      result: "error",
      error: `missing probe handler for ${podName(target.pod)}:${container.name}`,
    };
  } catch (err) {
    return { result: "error", error: errorMessage(err) };
  }
}

function verdict(action: ActionResult): ProbeOutcome {
  if (action.ok) return { result: action.warning ? "warning" : "success", output: action.output };
  if (action.error !== undefined) return { result: "error", error: action.error };
  return { result: "failure", output: action.output };
}

/**
 * `$(VAR)` in an exec probe's command, expanded against the container's
 * literal env values only (upstream's ExpandContainerCommandOnlyStatic):
 * probes see neither valueFrom values nor the runtime environment.
 */
export function expandStatic(command: readonly string[], env: readonly EnvVar[]): string[] {
  const values: Record<string, string> = {};
  for (const { name, value } of env) values[name] = value ?? "";
  const lookup = lookupIn(values);
  return command.map((arg) => expand(arg, lookup));
}
