// A leader-election candidate for the tests: prints "leading" / "stopped"
// lines; SIGTERM stops it cleanly (releasing the lease).
// Usage: candidate.ts KUBECONFIG IDENTITY
import {
  LEASES,
  LeaderElector,
  type Lease,
} from "../../../src/client/leaderelection/leader-election.js";
import { RestClient } from "../../../src/client/rest/client.js";
import { loadKubeconfig } from "../../../src/client/rest/config.js";
import { ResourceClient } from "../../../src/client/rest/resource.js";

const [kubeconfig, identity] = process.argv.slice(2);
if (!kubeconfig || !identity) throw new Error("usage: candidate.ts KUBECONFIG IDENTITY");
const rest = new RestClient(loadKubeconfig({ path: kubeconfig }));
const elector = new LeaderElector(new ResourceClient<Lease>(rest, LEASES), {
  namespace: "kube-system",
  name: "test-lock",
  identity,
  leaseDurationMs: 3000,
  renewDeadlineMs: 2000,
  retryPeriodMs: 500,
  onStartedLeading: () => process.stdout.write("leading\n"),
  onStoppedLeading: () => process.stdout.write("stopped\n"),
  onNewLeader: (holder) => process.stdout.write(`leader ${holder}\n`),
});
elector.start();
process.on("SIGTERM", () => {
  void elector.stop().then(() => {
    rest.close();
    process.exit(0);
  });
});
