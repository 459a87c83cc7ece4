/**
 * The docker-like commands: `k8ts run|ps|exec|logs|stop|rm|update|inspect|commit`,
 * on the runc engine through LocalRuntime (src/runtime/local/). `run` and
 * `exec` read their flags as docker does (run-args.ts, exec-args.ts) so
 * the command after the image or container keeps its own flags.
 */
import { type Command, Option } from "commander";
import type { ContainerStatus } from "../../../runtime/cri.js";
import { type LocalContainer, LocalRuntime } from "../../../runtime/local/local-runtime.js";
import {
  COMMAND_ANNOTATION,
  IMAGE_ANNOTATION,
  PORTS_ANNOTATION,
} from "../../../runtime/local/names.js";
import { readLogs } from "../../../runtime/logs/index.js";
import { readExitCode } from "../../../runtime/oci/index.js";
import { EXEC_USAGE, parseExecArgs } from "./exec-args.js";
import { inspectView } from "./inspect-view.js";
import { type PsRow, psTable } from "./ps-table.js";
import { runContainer } from "./run.js";
import { relaySession } from "./stdio.js";
import { type UpdateFlags, updateRequest } from "./update-args.js";

const DATA_DIR = [
  "--data-dir <dir>",
  "k8ts data directory (containers and images live there)",
  "/var/lib/k8ts",
] as const;

const open = (o: { dataDir: string }) => LocalRuntime.open({ dataDir: o.dataDir });

/** Applies `act` to each named container in turn, printing each name once done (as docker). */
async function eachContainer(
  o: { dataDir: string },
  refs: readonly string[],
  act: (runtime: LocalRuntime, container: LocalContainer) => Promise<void>,
): Promise<void> {
  const runtime = await open(o);
  for (const ref of refs) {
    await act(runtime, await runtime.find(ref));
    console.log(ref);
  }
}

async function execIn(argv: readonly string[]): Promise<void> {
  const args = parseExecArgs(argv);
  if (args.help) {
    console.log(EXEC_USAGE);
    return;
  }
  const runtime = await open(args);
  const container = await runtime.find(args.container);
  const session = await runtime.engine.exec({
    containerId: container.id,
    cmd: [...args.command],
    tty: args.tty,
    stdin: args.stdin,
    stdout: true,
    stderr: !args.tty,
  });
  process.exitCode = (await relaySession(session, { tty: args.tty, stdin: args.stdin })).exitCode;
}

function psRow(name: string, s: ContainerStatus): PsRow {
  const annotations = s.annotations ?? {};
  let command: string[] = [];
  try {
    command = JSON.parse(annotations[COMMAND_ANNOTATION] ?? "[]") as string[];
  } catch {
    // written by an older k8ts: no command shown
  }
  return {
    id: s.id,
    image: annotations[IMAGE_ANNOTATION] ?? s.image.image,
    command,
    createdAt: s.createdAt,
    state: s.state,
    startedAt: s.startedAt,
    finishedAt: s.finishedAt,
    exitCode: s.exitCode,
    ports: annotations[PORTS_ANNOTATION] ?? "",
    name,
  };
}

export function registerContainerCommands(program: Command): void {
  program
    .command("run")
    .description("create and start a container from an image (docker run); --help for its flags")
    .helpOption(false)
    .allowUnknownOption()
    .argument("[args...]")
    .action((args: string[]) => runContainer(args));

  program
    .command("exec")
    .description("run a command in a running container (docker exec); --help for its flags")
    .helpOption(false)
    .allowUnknownOption()
    .argument("[args...]")
    .action((args: string[]) => execIn(args));

  program
    .command("ps")
    .description("list containers started with k8ts run (running ones; -a for all)")
    .option("-a, --all", "show stopped and created containers too")
    .option("-q, --quiet", "only IDs")
    .option(...DATA_DIR)
    .action(async (o: { all?: boolean; quiet?: boolean; dataDir: string }) => {
      const runtime = await open(o);
      const rows: PsRow[] = [];
      for (const c of await runtime.list()) {
        const status = await runtime.engine.containerStatus(c.id);
        if (o.all || status.state === "CONTAINER_RUNNING") rows.push(psRow(c.name, status));
      }
      if (o.quiet) for (const r of rows) console.log(r.id.slice(0, 12));
      else console.log(psTable(rows, BigInt(Date.now()) * 1_000_000n));
    });

  program
    .command("logs <container>")
    .description("print a container's output (-f to follow it)")
    .option("-f, --follow", "keep printing while it runs")
    .option(...DATA_DIR)
    .action(async (ref: string, o: { follow?: boolean; dataDir: string }) => {
      const runtime = await open(o);
      const container = await runtime.find(ref);
      const { logPath } = await runtime.engine.containerStatus(container.id);
      const exitDir = runtime.engine.containers.exitDir;
      for await (const out of readLogs(logPath ?? "", {
        follow: o.follow ?? false,
        isRunning: async () => (await readExitCode(exitDir, container.id)) === undefined,
      })) {
        (out.stream === "stdout" ? process.stdout : process.stderr).write(out.data);
      }
    });

  program
    .command("stop <containers...>")
    .description("stop containers: SIGTERM, then SIGKILL after the timeout; the network goes down")
    .option("-t, --time <seconds>", "seconds to wait before killing", "10")
    .option(...DATA_DIR)
    .action(async (refs: string[], o: { time: string; dataDir: string }) => {
      const seconds = Number(o.time);
      if (!Number.isInteger(seconds) || seconds < 0)
        throw new Error(`invalid --time ${JSON.stringify(o.time)}: whole seconds`);
      await eachContainer(o, refs, (runtime, c) => runtime.stop(c, seconds));
    });

  program
    .command("rm <containers...>")
    .description("remove containers with their sandbox, mounts and network (-f: running ones too)")
    .option("-f, --force", "kill and remove running containers")
    .option(...DATA_DIR)
    // For `run -d --rm`'s exit command: act only while the name still means that run.
    .addOption(new Option("--if-sandbox <id>").hideHelp())
    .action(async (refs: string[], o: { force?: boolean; dataDir: string; ifSandbox?: string }) => {
      await eachContainer(o, refs, async (runtime, c) => {
        if (o.ifSandbox !== undefined && c.podSandboxId !== o.ifSandbox) return;
        await runtime.remove(c, { force: o.force ?? false });
      });
    });

  program
    .command("update <containers...>")
    .description("change the resource limits of containers, running ones at once (docker update)")
    .option("--cpus <number>", "CPU quota in CPUs (0.5 = half of one core)")
    .option("-m, --memory <size>", "memory limit (64m, 1g); the kernel refuses one below usage")
    .option("--pids-limit <number>", "most processes at once (-1 for no limit)")
    .option(...DATA_DIR)
    .action(async (refs: string[], o: UpdateFlags & { dataDir: string }) => {
      const request = updateRequest(o);
      await eachContainer(o, refs, (runtime, c) => runtime.update(c, request));
    });

  program
    .command("inspect <containers...>")
    .description("print containers' state and configuration as JSON")
    .option(...DATA_DIR)
    .action(async (refs: string[], o: { dataDir: string }) => {
      const runtime = await open(o);
      const views = [];
      for (const ref of refs) {
        const container = await runtime.find(ref);
        views.push(inspectView({ name: container.name, ...(await runtime.describe(container)) }));
      }
      console.log(JSON.stringify(views, null, 2));
    });

  program
    .command("commit <container> <image>")
    .description("make an image of a container's changes (its writable layer, not the init layer)")
    .option("-m, --message <text>", "commit message")
    .option("--no-pause", "do not freeze the container while its layer is read")
    .option(...DATA_DIR)
    .action(
      async (
        ref: string,
        image: string,
        o: { message?: string; pause: boolean; dataDir: string },
      ) => {
        const runtime = await open(o);
        const manifest = await runtime.commit(await runtime.find(ref), image, {
          pause: o.pause,
          ...(o.message ? { comment: o.message } : {}),
        });
        console.log(manifest.digest);
      },
    );
}
