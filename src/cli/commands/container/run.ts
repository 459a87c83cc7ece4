/**
 * `k8ts run`: pull if needed, create the sandbox and container, start it;
 * detached, print its ID; in the foreground, stream its output (from its
 * log, or attached on a terminal with -t/-i) and exit with its exit code.
 * Signals to this process go to the container; if this process dies the
 * container goes on (conmon holds it).
 */

import { readFileSync } from "node:fs";
import { type PullProgress, parseRegistriesYaml } from "../../../runtime/images/index.js";
import { LocalRuntime } from "../../../runtime/local/local-runtime.js";
import { readLogs } from "../../../runtime/logs/index.js";
import { readExitCode } from "../../../runtime/oci/index.js";
import { selfCommand } from "../../self.js";
import { startFailureExitCode } from "./exit-codes.js";
import { parseRunArgs, RUN_USAGE } from "./run-args.js";
import { relaySession } from "./stdio.js";

const progress = (e: PullProgress) =>
  process.stderr.write(`${e.kind} ${e.digest.replace(/^sha256:/, "").slice(0, 12)}: ${e.status}\n`);

export async function runContainer(argv: readonly string[]): Promise<void> {
  const first = parseRunArgs(argv, { environment: process.env });
  if (first.help) {
    console.log(RUN_USAGE);
    return;
  }
  const runtime = await LocalRuntime.open({
    dataDir: first.dataDir,
    registries: first.registries
      ? parseRegistriesYaml(readFileSync(first.registries, "utf8"))
      : undefined,
  });
  const { spec, detach } = parseRunArgs(argv, {
    environment: process.env,
    takenNames: new Set((await runtime.list()).map((c) => c.name)),
  });
  const { engine } = runtime;
  let created: { id: string; podSandboxId: string };
  try {
    created = await runtime.create(spec, progress, {
      // -d --rm: nobody waits here, so conmon runs `k8ts rm` once the container ended.
      ...(detach && spec.autoRemove
        ? {
            exitCommand: (podSandboxId: string) => [
              ...selfCommand(),
              "rm",
              "--force",
              `--data-dir=${first.dataDir}`,
              `--if-sandbox=${podSandboxId}`,
              spec.name,
            ],
          }
        : {}),
    });
  } catch (error) {
    const code = startFailureExitCode(error instanceof Error ? error.message : "");
    if (code === undefined) throw error;
    // As docker: the command could not start, say why and exit 126/127.
    console.error(`error: ${(error as Error).message}`);
    process.exitCode = code;
    return;
  }
  const { id, podSandboxId } = created;
  if (detach) {
    await engine.startContainer(id);
    console.log(id);
    return;
  }
  const session =
    spec.tty || spec.stdin
      ? await engine.attach({
          containerId: id,
          stdin: spec.stdin,
          stdout: true,
          stderr: true,
          tty: spec.tty,
        })
      : undefined;
  const relayed = session ? relaySession(session, { tty: spec.tty, stdin: spec.stdin }) : undefined;
  // Without a terminal, ^C and kill reach the container as they would reach a local process.
  const forward = (signal: NodeJS.Signals) => {
    void engine.runc.kill(id, signal).catch(() => {});
  };
  const signals: NodeJS.Signals[] = spec.tty ? ["SIGTERM"] : ["SIGINT", "SIGTERM", "SIGHUP"];
  for (const s of signals) process.on(s, forward);
  try {
    await engine.startContainer(id);
    if (relayed) {
      await relayed;
    } else {
      const { logPath } = await engine.containerStatus(id);
      const exitDir = engine.containers.exitDir;
      for await (const out of readLogs(logPath ?? "", {
        follow: true,
        pollIntervalMs: 50,
        isRunning: async () => (await readExitCode(exitDir, id)) === undefined,
      })) {
        (out.stream === "stdout" ? process.stdout : process.stderr).write(out.data);
      }
    }
    process.exitCode = await runtime.wait(id);
  } finally {
    for (const s of signals) process.off(s, forward);
    if (spec.autoRemove) await engine.removePodSandbox(podSandboxId);
    else await engine.stopPodSandbox(podSandboxId);
  }
}
