/**
 * The command line that runs this same k8ts again (for conmon's exit
 * command, which runs in another working directory): node with this
 * process's own node options (`--import` modules resolved to their files,
 * as they would not resolve from elsewhere), then either the script it
 * runs (bin/k8ts) or, for code given with `-e` (the tests run the CLI from
 * source that way), `--` and the program name it was given.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

export interface ProcessLine {
  readonly execPath: string;
  readonly execArgv: readonly string[];
  readonly argv: readonly string[];
}

const bare = (specifier: string) => !/^(\.{0,2}\/|file:|node:|data:)/.test(specifier);
const relative = (specifier: string) => /^\.{1,2}\//.test(specifier);

export function selfCommand(
  proc: ProcessLine = process,
  resolveModule: (specifier: string) => string = (s) => import.meta.resolve(s),
): string[] {
  const absolute = (s: string) =>
    bare(s) ? resolveModule(s) : relative(s) ? pathToFileURL(resolve(s)).href : s;
  const options: string[] = [];
  for (let i = 0; i < proc.execArgv.length; i++) {
    const arg = proc.execArgv[i] ?? "";
    const next = proc.execArgv[i + 1];
    if (arg === "--import" && next !== undefined) {
      options.push(arg, absolute(next));
      i++;
    } else if (arg.startsWith("--import=")) {
      options.push(`--import=${absolute(arg.slice(9))}`);
    } else {
      options.push(arg);
    }
  }
  const script = proc.argv[1] ?? "k8ts";
  const evaluated = options.some((a) => a === "-e" || a === "--eval" || a.startsWith("--eval="));
  if (evaluated) return [proc.execPath, ...options, "--", script];
  return [proc.execPath, ...options, existsSync(script) ? resolve(script) : script];
}
