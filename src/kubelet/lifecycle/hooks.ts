/**
 * postStart and preStop hooks (upstream's lifecycle handlerRunner plus the
 * kuberuntime's preStop grace-period wait). A failed hook resolves to
 * `ok: false` with upstream's message in `error`; the caller kills the
 * container after a failed postStart and records FailedPostStartHook /
 * FailedPreStopHook.
 */
import type { Container, LifecycleHandler, Pod } from "kubernetes-types/core/v1.js";
import type { RuntimeService } from "../../runtime/cri.js";
import type { ActionResult } from "./action-result.js";
import { settleWithin, sleep } from "./deadline.js";
import { execInContainer } from "./exec-action.js";
import { httpRequestFor } from "./http-action.js";
import { httpGet } from "./http-request.js";

export interface HookOptions {
  /** Abandons the hook (the container is being killed, the kubelet is stopping). */
  signal?: AbortSignal;
}

export interface HookRunner {
  /** Runs the container's postStart hook, if any (no deadline, as upstream). */
  postStart(
    pod: Pod,
    container: Container,
    containerId: string,
    podIP: string | undefined,
    options?: HookOptions,
  ): Promise<ActionResult>;
  /**
   * Runs the container's preStop hook, if any, resolving within
   * `budgetSeconds` (the grace period): a hook still running then is
   * abandoned (exec gets the budget as its runtime timeout, HTTP is aborted,
   * sleep cut short) and the result is `ok: false, timedOut: true`.
   */
  preStop(
    pod: Pod,
    container: Container,
    containerId: string,
    podIP: string | undefined,
    budgetSeconds: number,
    options?: HookOptions,
  ): Promise<ActionResult>;
}

/** An event the hook runner asks to record on the pod. */
export interface HookEvent {
  pod: Pod;
  type: "Warning";
  reason: "LifecycleHTTPFallback";
  message: string;
}

export interface HookRunnerOptions {
  /** Multiplies sleep durations and preStop budgets (tests shrink time). Default 1. */
  timeScale?: number;
  onEvent?: (event: HookEvent) => void;
}

interface Run {
  pod: Pod;
  container: Container;
  containerId: string;
  podIP: string | undefined;
  /** Seconds for the runtime's exec timeout; 0 = none. */
  execTimeoutSeconds: number;
  signal: AbortSignal | undefined;
}

export function createHookRunner(
  runtime: RuntimeService,
  options: HookRunnerOptions = {},
): HookRunner {
  const scale = options.timeScale ?? 1;

  async function runHandler(handler: LifecycleHandler, run: Run): Promise<ActionResult> {
    const where = `for Container ${JSON.stringify(run.container.name)} in Pod ${JSON.stringify(podName(run.pod))}`;
    if (handler.exec) {
      const command = handler.exec.command ?? [];
      const outcome = await execInContainer(
        runtime,
        run.containerId,
        command,
        run.execTimeoutSeconds,
        signalOf(run),
      );
      if (outcome.kind === "exited" && outcome.exitCode === 0) {
        return { ok: true, output: outcome.output };
      }
      const output = outcome.kind === "exited" ? outcome.output : "";
      const err =
        outcome.kind === "exited"
          ? `command '${command.join(" ")}' exited with ${outcome.exitCode}: ${outcome.stderr}`
          : outcome.kind === "aborted"
            ? "hook cancelled"
            : outcome.message;
      return {
        ok: false,
        output,
        error: `Exec lifecycle hook ([${command.join(" ")}]) ${where} failed - error: ${err}, message: ${JSON.stringify(output)}`,
        ...(outcome.kind === "timeout" ? { timedOut: true } : {}),
      };
    }
    if (handler.httpGet) {
      const err = await runHttp(handler, run);
      if (err === undefined) return { ok: true, output: "" };
      return {
        ok: false,
        output: "",
        error: `HTTP lifecycle hook (${handler.httpGet.path ?? ""}) ${where} failed - error: ${err}`,
      };
    }
    if (handler.sleep) {
      const seconds = handler.sleep.seconds;
      if (await sleep(seconds * 1000 * scale, run.signal)) return { ok: true, output: "" };
      return {
        ok: false,
        output: "",
        error: `Sleep lifecycle hook (${seconds}) ${where} failed - error: container terminated before sleep hook finished`,
      };
    }
    // tcpSocket is kept in the API for compatibility only: upstream fails it at run time.
    return {
      ok: false,
      output: "",
      error: `Cannot run handler: invalid handler: ${JSON.stringify(handler)}`,
    };
  }

  /** Upstream's runHTTPHandler: only a failed request fails the hook, whatever the status. */
  async function runHttp(handler: LifecycleHandler, run: Run): Promise<string | undefined> {
    const action = handler.httpGet;
    if (action === undefined) return "no httpGet action";
    const spec = httpRequestFor(action, run, "lifecycle");
    if ("error" in spec) return spec.error;
    const outcome = await httpGet(spec.url, { headers: spec.headers, ...signalOf(run) });
    if (outcome.kind === "response") return undefined;
    if (spec.url.protocol === "https:" && httpAnswerToTls(outcome.code, outcome.message)) {
      // The server spoke plain HTTP: retry over HTTP without credentials, as upstream does.
      const url = new URL(spec.url);
      url.protocol = "http:";
      const headers = Object.fromEntries(
        Object.entries(spec.headers).filter(([name]) => name.toLowerCase() !== "authorization"),
      );
      const retry = await httpGet(url, { headers, ...signalOf(run) });
      if (retry.kind === "response") {
        options.onEvent?.({
          pod: run.pod,
          type: "Warning",
          reason: "LifecycleHTTPFallback",
          message: `request to HTTPS lifecycle hook ${url.host} got HTTP response, retry with HTTP succeeded`,
        });
        return undefined;
      }
    }
    return outcome.message;
  }

  return {
    async postStart(pod, container, containerId, podIP, hookOptions = {}) {
      const handler = container.lifecycle?.postStart;
      if (handler === undefined) return { ok: true, output: "" };
      return runHandler(handler, {
        pod,
        container,
        containerId,
        podIP,
        execTimeoutSeconds: 0,
        signal: hookOptions.signal,
      });
    },

    async preStop(pod, container, containerId, podIP, budgetSeconds, hookOptions = {}) {
      const handler = container.lifecycle?.preStop;
      if (handler === undefined) return { ok: true, output: "" };
      if (handler.sleep !== undefined && handler.sleep.seconds <= 0)
        return { ok: true, output: "" };
      const notDone = {
        ok: false as const,
        output: "",
        error: `PreStop hook for Container ${JSON.stringify(container.name)} in Pod ${JSON.stringify(podName(pod))} not completed in grace period (${budgetSeconds}s)`,
        timedOut: true,
      };
      if (!(budgetSeconds > 0)) return notDone;
      const controller = new AbortController();
      const outer = hookOptions.signal;
      const onAbort = () => controller.abort();
      outer?.addEventListener("abort", onAbort, { once: true });
      if (outer?.aborted) controller.abort();
      try {
        const settled = await settleWithin(
          runHandler(handler, {
            pod,
            container,
            containerId,
            podIP,
            execTimeoutSeconds: budgetSeconds * scale,
            signal: controller.signal,
          }),
          budgetSeconds * 1000 * scale,
          outer,
        );
        // An exec that hit its runtime timeout (the budget) is the same story as the budget running out.
        if (settled.kind === "done") {
          return settled.value.ok || !settled.value.timedOut ? settled.value : notDone;
        }
        if (settled.kind === "aborted") {
          return { ok: false, output: "", error: "preStop hook cancelled" };
        }
        return notDone;
      } finally {
        // Whatever is still running for the hook stops now.
        controller.abort();
        outer?.removeEventListener("abort", onAbort);
      }
    },
  };
}

function signalOf(run: { signal: AbortSignal | undefined }): { signal?: AbortSignal } {
  return run.signal === undefined ? {} : { signal: run.signal };
}

/** Upstream's format.Pod: `name_namespace(uid)`. */
export function podName(pod: Pod): string {
  const meta = pod.metadata ?? {};
  return `${meta.name ?? ""}_${meta.namespace ?? ""}(${meta.uid ?? ""})`;
}

/** Whether a TLS error means the server answered in plain HTTP (Go's "server gave HTTP response to HTTPS client"). */
function httpAnswerToTls(code: string | undefined, message: string): boolean {
  return code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number/i.test(message);
}
