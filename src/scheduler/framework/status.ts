/**
 * The outcome of one plugin at one extension point (upstream's
 * framework.Status). Reasons are the strings that end up, counted, in the
 * `0/3 nodes are available: ...` message.
 */

export type Code =
  | "Success"
  | "Error"
  /** Rejected, but preempting lower-priority pods on the node might help. */
  | "Unschedulable"
  /** Rejected, and preemption on this node cannot help. */
  | "UnschedulableAndUnresolvable"
  /** PreFilter/PreScore: the plugin has nothing to do for this pod. */
  | "Skip";

export interface Status {
  readonly code: Code;
  readonly reasons: readonly string[];
  /** The plugin that produced the status (set by the framework). */
  readonly plugin?: string;
}

export const SUCCESS: Status = Object.freeze({ code: "Success", reasons: [] });
export const SKIP: Status = Object.freeze({ code: "Skip", reasons: [] });

export function unschedulable(...reasons: string[]): Status {
  return { code: "Unschedulable", reasons };
}

export function unresolvable(...reasons: string[]): Status {
  return { code: "UnschedulableAndUnresolvable", reasons };
}

export function errorStatus(message: string): Status {
  return { code: "Error", reasons: [message] };
}

export function isSuccess(s: Status): boolean {
  return s.code === "Success";
}

/** Unschedulable or UnschedulableAndUnresolvable. */
export function isRejected(s: Status): boolean {
  return s.code === "Unschedulable" || s.code === "UnschedulableAndUnresolvable";
}

export function withPlugin(s: Status, plugin: string): Status {
  return s.plugin === plugin ? s : { ...s, plugin };
}

/** The reasons joined as upstream's Status.Message(). */
export function statusMessage(s: Status): string {
  return s.reasons.join(", ");
}
