/** Running a command in a container through the CRI (exec probes and exec hooks). */
import type { ExecSyncRequest, RuntimeService } from "../../runtime/cri.js";
import { type ActionResult, errorMessage, MAX_OUTPUT_BYTES, outputText } from "./action-result.js";
import { settleWithin } from "./deadline.js";

/** How a command run ended. */
export type ExecOutcome =
  | { kind: "exited"; exitCode: number; output: string; stderr: string }
  | { kind: "timeout"; message: string }
  | { kind: "aborted" }
  | { kind: "error"; message: string };

export interface ActionOptions {
  /** Stops waiting for the action (the manager or the pod worker is shutting down). */
  signal?: AbortSignal;
}

/**
 * Runs `command` in the container. `timeoutSeconds` (0 = none) goes to the
 * runtime, rounded up to whole seconds as the CRI carries it, and bounds the
 * wait here too, so a runtime that ignores it cannot hold a probe. The output
 * is stdout followed by stderr, cut to 10 KiB, as upstream's RunInContainer.
 */
export async function execInContainer(
  runtime: RuntimeService,
  containerId: string,
  command: readonly string[],
  timeoutSeconds: number,
  options: ActionOptions = {},
): Promise<ExecOutcome> {
  if (command.length === 0) return { kind: "error", message: "exec action has no command" };
  // Upstream's remote runtime client: `command "cat /tmp/healthy" timed out`.
  const timeoutMessage = `command ${JSON.stringify(command.join(" "))} timed out`;
  const request: ExecSyncRequest = { containerId, cmd: [...command] };
  if (timeoutSeconds > 0) request.timeout = Math.max(1, Math.ceil(timeoutSeconds));
  try {
    const settled = await settleWithin(
      runtime.execSync(request),
      timeoutSeconds > 0 ? timeoutSeconds * 1000 : undefined,
      options.signal,
    );
    if (settled.kind === "timeout") return { kind: "timeout", message: timeoutMessage };
    if (settled.kind === "aborted") return { kind: "aborted" };
    const { stdout, stderr, exitCode } = settled.value;
    const combined = new Uint8Array(Math.min(stdout.length + stderr.length, MAX_OUTPUT_BYTES + 1));
    combined.set(stdout.subarray(0, combined.length));
    if (stdout.length < combined.length) {
      combined.set(stderr.subarray(0, combined.length - stdout.length), stdout.length);
    }
    return { kind: "exited", exitCode, output: outputText(combined), stderr: outputText(stderr) };
  } catch (err) {
    const message = errorMessage(err);
    // A runtime that enforces the timeout itself reports it as an error (runc: "timed out after").
    if (/timed out|deadline exceeded/i.test(message)) {
      return { kind: "timeout", message: timeoutMessage };
    }
    return { kind: "error", message };
  }
}

/**
 * An exec action with probe semantics: exit code 0 is success, any other
 * exit code a failure with the command's output, a timeout a failure whose
 * output says so (upstream's ExecProbeTimeout), a runtime error an errored
 * action (`error` set).
 */
export async function runExecAction(
  runtime: RuntimeService,
  containerId: string,
  command: string[],
  timeoutSeconds: number,
  options: ActionOptions = {},
): Promise<ActionResult> {
  const outcome = await execInContainer(runtime, containerId, command, timeoutSeconds, options);
  switch (outcome.kind) {
    case "exited":
      return outcome.exitCode === 0
        ? { ok: true, output: outcome.output }
        : { ok: false, output: outcome.output };
    case "timeout":
      return { ok: false, output: outcome.message, timedOut: true };
    case "aborted":
      return { ok: false, output: "", error: "exec action cancelled" };
    case "error":
      return { ok: false, output: "", error: outcome.message };
  }
}
