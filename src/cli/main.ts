import { Command, CommanderError } from "commander";
import { K8TS_VERSION, KUBERNETES_VERSION } from "../version.js";
import { registerApiServer } from "./commands/apiserver.js";
import { registerCheck } from "./commands/check.js";
import { registerContainerCommands } from "./commands/container/index.js";
import { registerControllerManager } from "./commands/controller-manager.js";
import { registerDashboard } from "./commands/dashboard.js";
import { registerDatastore } from "./commands/datastore.js";
import { registerDns } from "./commands/dns.js";
import { registerHollowNodes } from "./commands/hollow-nodes.js";
import { registerImage } from "./commands/image.js";
import { registerIngress } from "./commands/ingress.js";
import { registerKubelet } from "./commands/kubelet.js";
import { registerProxy } from "./commands/proxy.js";
import { registerReset } from "./commands/reset.js";
import { registerScheduler } from "./commands/scheduler.js";
import { registerServer } from "./commands/server.js";

export function buildProgram(): Command {
  const program = new Command("k8ts")
    .description("Kubernetes, the whole system, in TypeScript")
    .version(`k8ts ${K8TS_VERSION} (Kubernetes ${KUBERNETES_VERSION.gitVersion})`, "--version")
    .showHelpAfterError()
    .exitOverride();
  program
    .command("version")
    .description("print the k8ts version and the Kubernetes API version it implements")
    .action(() => {
      console.log(`k8ts ${K8TS_VERSION}`);
      console.log(`Kubernetes API ${KUBERNETES_VERSION.gitVersion}`);
    });
  registerCheck(program);
  registerDatastore(program);
  registerApiServer(program);
  registerImage(program);
  registerContainerCommands(program);
  registerScheduler(program);
  registerControllerManager(program);
  registerServer(program);
  registerReset(program);
  registerKubelet(program);
  registerProxy(program);
  registerHollowNodes(program);
  registerDns(program);
  registerIngress(program);
  registerDashboard(program);
  return program;
}

/** Runs the CLI; expected failures print one line and set a non-zero exit code. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version exit through here with code 0
      process.exitCode = err.exitCode;
      return;
    }
    // Expected failures print one line; K8TS_DEBUG=1 shows the stack too.
    if (err instanceof Error) {
      console.error(`error: ${err.message}`);
      if (process.env.K8TS_DEBUG) console.error(err.stack);
      process.exitCode = 1;
      return;
    }
    throw err;
  }
}
