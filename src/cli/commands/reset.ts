import type { Command } from "commander";
import { resetNode } from "../../server/reset.js";
import { createLogger } from "../../util/log.js";

export function registerReset(program: Command): void {
  program
    .command("reset")
    .description(
      "undo k8ts server on this machine: stop and remove every pod, remove the pod network, service rules, mounts and the data dir",
    )
    .option("--data-dir <dir>", "the data dir of the k8ts server to remove", "/var/lib/k8ts")
    .option("-f, --force", "do it without asking (required: reset removes all cluster data)", false)
    .action(async (flags: { dataDir: string; force: boolean }) => {
      if (!flags.force) {
        console.error(
          `k8ts reset removes every pod and all cluster data in ${flags.dataDir}; stop k8ts server first, then run again with --force`,
        );
        process.exitCode = 1;
        return;
      }
      await resetNode({ dataDir: flags.dataDir, log: createLogger("reset") });
    });
}
