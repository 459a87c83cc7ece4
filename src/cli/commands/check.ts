import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import type { Command } from "commander";
import { checkDependencies, missingPackages } from "../deps.js";

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("list the system packages k8ts needs and which are missing")
    .action(() => {
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
      process.exitCode = requiredMissing ? 1 : 0;
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
