import { type RunningApiServer, startApiServer } from "../../src/apiserver/server.js";
import { defaultHooks } from "../../src/apiserver/wiring.js";
import { silentLogger } from "../../src/util/log.js";
import { tempDir } from "./tmp.js";

export interface TestApiServer extends RunningApiServer {
  readonly dataDir: string;
  /** Stops the server and removes its data dir. */
  stop(): Promise<void>;
}

/** An API server on a free loopback port with a temporary data dir. */
export async function startTestApiServer(
  opts: {
    datastoreEndpoint?: string;
    dataDir?: string;
    tokenAuthFile?: string;
    securePort?: number;
    /**
     * Admission plugins to leave out. Default ["ServiceAccount"], as
     * upstream's integration tests run: without a controller manager no
     * namespace has its `default` account, and pods would be refused. Pass
     * [] for the full chain (then create accounts or run the controller).
     */
    disableAdmissionPlugins?: readonly string[];
    /** How often the metrics API scrapes kubelets (default 15 s). */
    metricResolutionMs?: number;
    /** --authorization-mode (default RBAC, as the server's). */
    authorizationMode?: "RBAC" | "AlwaysAllow";
  } = {},
): Promise<TestApiServer> {
  const dir = opts.dataDir ? undefined : tempDir("apiserver");
  const dataDir = opts.dataDir ?? (dir?.path as string);
  const server = await startApiServer({
    dataDir,
    bindAddress: "127.0.0.1",
    securePort: opts.securePort ?? 0,
    hooks: defaultHooks(),
    log: silentLogger,
    ...(opts.datastoreEndpoint ? { datastoreEndpoint: opts.datastoreEndpoint } : {}),
    ...(opts.tokenAuthFile ? { tokenAuthFile: opts.tokenAuthFile } : {}),
    ...(opts.metricResolutionMs ? { metricResolutionMs: opts.metricResolutionMs } : {}),
    ...(opts.authorizationMode ? { authorizationMode: opts.authorizationMode } : {}),
    disableAdmissionPlugins: opts.disableAdmissionPlugins ?? ["ServiceAccount"],
  });
  return {
    ...server,
    dataDir,
    close: () => server.close(),
    async stop() {
      await server.close();
      dir?.remove();
    },
  };
}
