/**
 * An in-memory stand-in for iptables-save/-restore/iptables, enough for
 * the proxy's orchestration tests without root: it keeps chains and rules
 * per table, applies restore input line by line (all or nothing), and can
 * be told to fail the next restores.
 */
import type { CommandResult, CommandRunner } from "../../src/proxy/exec.js";
import { quote } from "../../src/proxy/writer.js";

type Tables = Map<string, { chains: Map<string, string[]> }>;

const BUILTIN: Record<string, string[]> = {
  filter: ["INPUT", "FORWARD", "OUTPUT"],
  nat: ["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"],
};

function table(tables: Tables, name: string) {
  let t = tables.get(name);
  if (!t) {
    t = { chains: new Map((BUILTIN[name] ?? []).map((c) => [c, []])) };
    tables.set(name, t);
  }
  return t;
}

/** Splits like iptables-restore: on spaces, keeping "quoted strings" whole. */
function words(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? "");
}

export class FakeIptables implements CommandRunner {
  tables: Tables = new Map();
  readonly calls: string[] = [];
  readonly restores: string[] = [];
  failRestores = 0;

  async run(argv: readonly string[], opts: { input?: string } = {}): Promise<CommandResult> {
    const [command, ...args] = argv;
    this.calls.push(argv.join(" "));
    if (command === "iptables-save") return ok(this.save());
    if (command === "iptables-restore") return this.restore(opts.input ?? "");
    if (command === "iptables") return this.iptables(args);
    return { code: 0, stdout: "", stderr: "" };
  }

  /** The rules of one chain, as `-A` lines. */
  rules(tableName: string, chain: string): string[] {
    return this.tables.get(tableName)?.chains.get(chain) ?? [];
  }

  chains(tableName: string): string[] {
    return [...(this.tables.get(tableName)?.chains.keys() ?? [])];
  }

  private save(): string {
    const out: string[] = [];
    for (const [name, t] of this.tables) {
      out.push(`*${name}`);
      for (const c of t.chains.keys())
        out.push(`:${c} ${BUILTIN[name]?.includes(c) ? "ACCEPT" : "-"} [0:0]`);
      for (const rules of t.chains.values()) out.push(...rules);
      out.push("COMMIT");
    }
    return `${out.join("\n")}\n`;
  }

  private restore(input: string): CommandResult {
    if (this.failRestores > 0) {
      this.failRestores--;
      return { code: 1, stdout: "", stderr: "iptables-restore: line 2 failed" };
    }
    const next: Tables = structuredClone(this.tables);
    let current = "";
    for (const line of input.split("\n")) {
      if (line.startsWith("*")) current = line.slice(1);
      else if (line.startsWith(":"))
        table(next, current).chains.set(line.slice(1).split(" ")[0] ?? "", []);
      else if (line.startsWith("-A ")) {
        const w = words(line);
        const rules = table(next, current).chains.get(w[1] ?? "");
        if (!rules) return { code: 2, stdout: "", stderr: `no chain ${w[1]}` };
        // As the kernel: a jump to a chain of ours that does not exist is refused.
        const target = w[w.indexOf("-j") + 1] ?? "";
        if (
          w.includes("-j") &&
          target.startsWith("KUBE-") &&
          !table(next, current).chains.has(target)
        )
          return { code: 2, stdout: "", stderr: `Couldn't load target \`${target}'` };
        rules.push(["-A", ...w.slice(1).map(quote)].join(" "));
      } else if (line.startsWith("-D ")) {
        const w = words(line);
        const rules = table(next, current).chains.get(w[1] ?? "") ?? [];
        const at = rules.indexOf(["-A", ...w.slice(1).map(quote)].join(" "));
        if (at < 0)
          return { code: 1, stdout: "", stderr: "Bad rule (does a matching rule exist?)" };
        rules.splice(at, 1);
      } else if (line.startsWith("-X ")) table(next, current).chains.delete(line.slice(3));
    }
    this.tables = next;
    this.restores.push(input);
    return ok("");
  }

  private iptables(args: readonly string[]): CommandResult {
    const a = args.filter((x) => x !== "-w");
    const t = table(this.tables, a[1] ?? "filter");
    const [op, chain = "", ...rule] = a.slice(2);
    const line = ["-A", chain, ...rule.map(quote)].join(" ");
    if (op === "-N") {
      if (t.chains.has(chain)) return { code: 1, stdout: "", stderr: "Chain already exists." };
      t.chains.set(chain, []);
      return ok("");
    }
    const rules = t.chains.get(chain) ?? [];
    if (op === "-C")
      return rules.includes(line) ? ok("") : { code: 1, stdout: "", stderr: "Bad rule" };
    if (op === "-I") rules.unshift(line);
    if (op === "-A") rules.push(line);
    t.chains.set(chain, rules);
    return ok("");
  }
}

function ok(stdout: string): CommandResult {
  return { code: 0, stdout, stderr: "" };
}
