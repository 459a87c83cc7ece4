/**
 * The iptables edge: save, restore, the jump rules, and cleanup, through
 * a CommandRunner. All decisions (what to write, what is stale, what a
 * cleanup removes) are made by the pure modules beside this one.
 */
import { type CommandRunner, runOk } from "./exec.js";
import { type Jump, jumpRuleArgs, jumpSaveLine } from "./jumps.js";
import { cleanupText } from "./restore.js";
import { parseSave, type SavedTables } from "./save.js";

export class IptablesError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The input line an "Error occurred at line: N" points at, to say which rule was refused. */
function failingLine(stderr: string, input: string): string {
  const m = /line:? (\d+)/i.exec(stderr);
  const line = m ? input.split("\n")[Number(m[1]) - 1] : undefined;
  return line ? ` (input line ${m?.[1]}: ${line})` : "";
}

export class Iptables {
  constructor(private readonly runner: CommandRunner) {}

  /** Every table, as iptables-save prints it. */
  async save(): Promise<SavedTables> {
    return parseSave(await runOk(this.runner, { argv: ["iptables-save"] }));
  }

  /** Applies restore input atomically, leaving chains it does not name alone. */
  async restore(input: string): Promise<void> {
    const r = await this.runner.run(["iptables-restore", "-w", "--noflush"], { input });
    if (r.code !== 0) {
      const why = r.stderr.trim() || `exit code ${r.code}`;
      throw new IptablesError(`iptables-restore: ${why}${failingLine(r.stderr, input)}`);
    }
  }

  /** Creates each jump's chain and inserts the jump at the head of its built-in chain, unless present. */
  async ensureJumps(jumps: readonly Jump[]): Promise<void> {
    for (const j of jumps) {
      const t = ["iptables", "-w", "-t", j.table];
      // -N fails when the chain exists, which is the common and harmless case.
      await this.runner.run([...t, "-N", j.to]);
      const rule = jumpRuleArgs(j);
      const check = await this.runner.run([...t, "-C", j.from, ...rule]);
      if (check.code === 0) continue;
      await runOk(this.runner, { argv: [...t, "-I", j.from, ...rule] });
    }
  }

  /**
   * Puts each jump at the end of its built-in chain: a missing one is
   * appended; one already there (k8ts before 2026-11-22 inserted the
   * pod-traffic jumps on top) is deleted and re-appended in one
   * iptables-restore transaction, so the chain never lacks it.
   */
  async moveJumpsLast(jumps: readonly Jump[]): Promise<void> {
    const present: Jump[] = [];
    for (const j of jumps) {
      const t = ["iptables", "-w", "-t", j.table];
      await this.runner.run([...t, "-N", j.to]);
      const check = await this.runner.run([...t, "-C", j.from, ...jumpRuleArgs(j)]);
      if (check.code === 0) present.push(j);
      else await runOk(this.runner, { argv: [...t, "-A", j.from, ...jumpRuleArgs(j)] });
    }
    const tables = [...new Set(present.map((j) => j.table))];
    if (tables.length === 0) return;
    const input = tables.flatMap((table) => {
      const lines = present.filter((j) => j.table === table).map(jumpSaveLine);
      return [`*${table}`, ...lines.map((l) => `-D${l.slice(2)}`), ...lines, "COMMIT"];
    });
    await this.restore(`${input.join("\n")}\n`);
  }

  /** Removes every KUBE-* (or `prefix`) chain and every jump to one; resolves to whether anything was removed. */
  async cleanup(prefix?: string): Promise<boolean> {
    const input = cleanupText(await this.save(), prefix);
    if (!input) return false;
    await this.restore(input);
    return true;
  }
}
