/**
 * The remote command protocol kubectl speaks for exec and attach over
 * WebSocket (k8s.io/apimachinery remotecommand, channel.k8s.io family),
 * pure: each binary message starts with its channel byte — 0 stdin,
 * 1 stdout, 2 stderr, 3 error (a metav1.Status when the command ends),
 * 4 resize ({"Width","Height"}); v5 adds 255 [channel] to close a stream
 * (how kubectl says stdin ended).
 */
export const PROTOCOLS = ["v5.channel.k8s.io", "v4.channel.k8s.io"] as const;

export type Protocol = (typeof PROTOCOLS)[number];

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
export const CLOSE = 255;

/** The protocol to speak: the first of the client's offers we support. */
export function chooseProtocol(offered: Iterable<string>): Protocol | undefined {
  for (const p of offered) if ((PROTOCOLS as readonly string[]).includes(p)) return p as Protocol;
  return undefined;
}

export function frame(channel: number, data: Uint8Array | string): Buffer {
  const body = typeof data === "string" ? Buffer.from(data) : Buffer.from(data);
  return Buffer.concat([Buffer.from([channel]), body]);
}

export type Incoming =
  | { kind: "stdin"; data: Buffer }
  | { kind: "resize"; width: number; height: number }
  | { kind: "close"; channel: number }
  | { kind: "ignored" };

export function parseMessage(msg: Buffer): Incoming {
  if (msg.length === 0) return { kind: "ignored" };
  const channel = msg[0];
  const data = msg.subarray(1);
  if (channel === STDIN) return { kind: "stdin", data };
  if (channel === RESIZE) {
    try {
      const size = JSON.parse(data.toString()) as { Width?: number; Height?: number };
      if (typeof size.Width === "number" && typeof size.Height === "number")
        return { kind: "resize", width: size.Width, height: size.Height };
    } catch {
      return { kind: "ignored" };
    }
    return { kind: "ignored" };
  }
  if (channel === CLOSE && data.length > 0) return { kind: "close", channel: data[0] as number };
  return { kind: "ignored" };
}

/** What the error channel carries when the command ends (kubectl turns it into its exit code). */
export function exitStatus(exitCode: number, cmd: readonly string[]): object {
  if (exitCode === 0) return { metadata: {}, status: "Success" };
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command [${cmd.join(" ")}], exit code ${exitCode}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
  };
}

export function errorStatus(message: string): object {
  return { metadata: {}, status: "Failure", message, reason: "InternalError", code: 500 };
}

/** Exec options from the kubelet's query (upstream names: input, output, error, tty, command). */
export function execOptions(q: URLSearchParams): {
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
} {
  const flag = (name: string) => {
    const v = q.get(name);
    return v === "1" || v === "true";
  };
  const tty = flag("tty");
  return {
    command: q.getAll("command"),
    stdin: flag("input"),
    stdout: flag("output"),
    // A terminal merges stderr into stdout.
    stderr: flag("error") && !tty,
    tty,
  };
}
