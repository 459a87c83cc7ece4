import { type Command, Option } from "commander";
import { AUTHORIZATION_MODES, type AuthorizationMode } from "../../apiserver/authz.js";
import { startApiServer } from "../../apiserver/server.js";
import { defaultHooks } from "../../apiserver/wiring.js";
import { terminationSignal } from "../signals.js";

interface ApiServerFlags {
  dataDir: string;
  datastoreEndpoint?: string;
  bindAddress: string;
  securePort: string;
  serviceCidr: string;
  serviceNodePortRange: string;
  clusterDomain: string;
  tokenAuthFile?: string;
  tlsSan: string[];
  serviceAccountIssuer?: string;
  apiAudiences?: string;
  disableAdmissionPlugins?: string;
  authorizationMode: AuthorizationMode;
}

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export function registerApiServer(program: Command): void {
  program
    .command("apiserver")
    .description("run the Kubernetes API server alone")
    .option(
      "--data-dir <dir>",
      "where the store, certificates and kubeconfigs live",
      "/var/lib/k8ts",
    )
    .option(
      "--datastore-endpoint <url>",
      "etcd client URLs (http://host:port,...) or sqlite:///path; default: embedded SQLite in the data dir",
    )
    .option("--bind-address <ip>", "address to listen on", "0.0.0.0")
    .option("--secure-port <port>", "HTTPS port", "6443")
    .option("--service-cidr <cidr>", "IP range for Service cluster IPs", "10.43.0.0/16")
    .option("--service-node-port-range <range>", "port range for NodePort Services", "30000-32767")
    .option("--cluster-domain <domain>", "cluster DNS domain", "cluster.local")
    .option(
      "--token-auth-file <file>",
      'static bearer tokens: token,user,uid,"group1,group2" per line',
    )
    .option(
      "--tls-san <name>",
      "extra name or IP for the serving certificate (repeatable)",
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      "--service-account-issuer <url>",
      "iss of service account tokens (default https://kubernetes.default.svc.<cluster-domain>)",
    )
    .option(
      "--api-audiences <list>",
      "audiences the server accepts tokens for (default: the issuer)",
    )
    .option(
      "--disable-admission-plugins <list>",
      "admission plugins to turn off, comma-separated (e.g. ServiceAccount)",
    )
    .addOption(authorizationModeOption())
    .action(async (flags: ApiServerFlags) => {
      const stop = terminationSignal();
      const server = await startApiServer({
        dataDir: flags.dataDir,
        ...(flags.datastoreEndpoint ? { datastoreEndpoint: flags.datastoreEndpoint } : {}),
        bindAddress: flags.bindAddress,
        securePort: Number(flags.securePort),
        serviceCidr: flags.serviceCidr,
        serviceNodePortRange: flags.serviceNodePortRange,
        clusterDomain: flags.clusterDomain,
        ...(flags.tokenAuthFile ? { tokenAuthFile: flags.tokenAuthFile } : {}),
        tlsSANs: flags.tlsSan,
        ...(flags.serviceAccountIssuer ? { serviceAccountIssuer: flags.serviceAccountIssuer } : {}),
        ...(flags.apiAudiences ? { apiAudiences: list(flags.apiAudiences) } : {}),
        disableAdmissionPlugins: list(flags.disableAdmissionPlugins),
        authorizationMode: flags.authorizationMode,
        hooks: defaultHooks(),
      });
      console.error(`k8ts apiserver listening on ${server.url}`);
      console.error(`  export KUBECONFIG=${server.adminKubeconfig}`);
      await stop.promise;
      await server.close();
    });
}

/** `--authorization-mode`, shared by `k8ts apiserver` and `k8ts server`. */
export function authorizationModeOption(): Option {
  return new Option(
    "--authorization-mode <mode>",
    "how requests are authorized: RBAC (system:masters always allowed) or AlwaysAllow",
  )
    .choices(AUTHORIZATION_MODES)
    .default("RBAC");
}
