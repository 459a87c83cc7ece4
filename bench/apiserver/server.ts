// The API server under benchmark, in its own process: prints its URL and
// kubeconfig path as one JSON line, runs until killed.
import { startApiServer } from "../../src/apiserver/server.js";
import { defaultHooks } from "../../src/apiserver/wiring.js";
import { silentLogger } from "../../src/util/log.js";

const [dataDir, endpoint] = process.argv.slice(2);
if (!dataDir) throw new Error("usage: server.ts DATA_DIR [DATASTORE_ENDPOINT]");
const server = await startApiServer({
  dataDir,
  bindAddress: "127.0.0.1",
  securePort: 0,
  hooks: defaultHooks(),
  log: silentLogger,
  // Pods as before service account tokens: no token volume for hollow nodes to
  // mount and request, so figures stay comparable across versions.
  disableAdmissionPlugins: ["ServiceAccount"],
  ...(endpoint ? { datastoreEndpoint: endpoint } : {}),
});
process.stdout.write(
  `${JSON.stringify({ url: server.url, kubeconfig: server.adminKubeconfig })}\n`,
);
process.on("SIGTERM", () => {
  void server.close().then(() => process.exit(0));
});
