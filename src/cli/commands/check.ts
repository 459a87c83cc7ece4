import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { defaultNodeIPs } from "../../kubelet/node/machine-info.js";
import { checkDependencies, missingPackages } from "../deps.js";
import { type CheckResult, preflight } from "../preflight/checks.js";
import { probePorts, readHostFacts } from "../preflight/facts.js";

interface CheckFlags {
  nodeIp?: string;
  httpsListenPort: string;
  kubeletPort: string;
  clusterDnsPort: string;
  ingressHttpPort: string;
  ingressHttpsPort: string;
}

const MARK = { ok: "ok     ", warn: "WARN   ", fail: "FAIL   " } as const;

function printResult(r: CheckResult): void {
  console.log(`${MARK[r.status]} ${r.name.padEnd(28)} ${r.detail}`);
  if (r.fix && r.status !== "ok") console.log(`${" ".repeat(37)}fix: ${r.fix}`);
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description(
      "preflight: the system packages, kernel features and free ports a k8ts node needs, with the fix for each",
    )
    .option(
      "--node-ip <ip>",
      "the node address the cluster DNS will listen on (default: first global IPv4)",
    )
    .option("--https-listen-port <port>", "API server port to check", "6443")
    .option("--kubelet-port <port>", "kubelet port to check", "10250")
    .option("--cluster-dns-port <port>", "cluster DNS port to check on the node IP", "53")
    .option("--ingress-http-port <port>", "ingress HTTP port to check", "80")
    .option("--ingress-https-port <port>", "ingress HTTPS port to check", "443")
    .action(async (flags: CheckFlags) => {
      console.log("packages:");
      const statuses = checkDependencies(existsSync);
      for (const s of statuses) {
        const mark = s.found ? "ok     " : s.dep.required ? "MISSING" : "absent ";
        console.log(`${mark} ${s.dep.pkg.padEnd(28)} ${s.found ?? s.dep.purpose}`);
      }
      const missing = missingPackages(statuses);
      if (missing.length > 0) {
        console.log(
          `\ninstall with: apt-get install -y ${missing.join(" ")}   (or: k8ts install-deps)`,
        );
      }
      const requiredMissing = statuses.some((s) => s.dep.required && !s.found);

      const nodeIp = flags.nodeIp ?? defaultNodeIPs()[0] ?? "127.0.0.1";
      const tcp = (port: string, purpose: string) =>
        ({ host: "0.0.0.0", port: Number(port), protocol: "tcp", purpose }) as const;
      const ports = await probePorts([
        tcp(flags.httpsListenPort, "API server"),
        tcp(flags.kubeletPort, "kubelet"),
        {
          host: nodeIp,
          port: Number(flags.clusterDnsPort),
          protocol: "udp",
          purpose: "cluster DNS",
        },
        {
          host: nodeIp,
          port: Number(flags.clusterDnsPort),
          protocol: "tcp",
          purpose: "cluster DNS",
        },
        tcp(flags.ingressHttpPort, "ingress HTTP"),
        tcp(flags.ingressHttpsPort, "ingress HTTPS"),
      ]);
      console.log("\nhost:");
      const results = preflight(readHostFacts(), ports);
      for (const r of results) printResult(r);
      const failed = results.some((r) => r.status === "fail");
      process.exitCode = requiredMissing || failed ? 1 : 0;
    });

  program
    .command("install-deps")
    .description("install the missing system packages with apt-get (needs root)")
    .action(() => {
      const missing = missingPackages(checkDependencies(existsSync));
      if (missing.length === 0) {
        console.log("all system packages are installed");
        return;
      }
      const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
      for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...missing]]) {
        console.log(`apt-get ${args.join(" ")}`);
        const r = spawnSync("apt-get", args, { stdio: "inherit", env });
        if (r.status !== 0) {
          console.error(`apt-get ${args[0]} failed (exit ${r.status ?? r.signal})`);
          process.exitCode = 1;
          return;
        }
      }
    });
}
