/** iptables-save output, read into chains and rule lines per table. */

export interface SavedTable {
  /** Every chain, built-in ones included, in the order printed. */
  readonly chains: string[];
  /** `-A CHAIN ...` lines, as printed. */
  readonly rules: string[];
}

/** By table name (filter, nat, mangle, ...). */
export type SavedTables = ReadonlyMap<string, SavedTable>;

export function parseSave(text: string): Map<string, SavedTable> {
  const tables = new Map<string, SavedTable>();
  let current: SavedTable | undefined;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("*")) {
      current = { chains: [], rules: [] };
      tables.set(line.slice(1), current);
    } else if (current && line.startsWith(":")) {
      const name = line.slice(1).split(/\s+/)[0];
      if (name) current.chains.push(name);
    } else if (current && line.startsWith("-A ")) {
      current.rules.push(line);
    }
  }
  return tables;
}

/** The chain a rule jumps (-j) or goes (-g) to, if any. */
export function ruleTarget(rule: string): string | undefined {
  const tokens = rule.split(/\s+/);
  for (let i = 0; i < tokens.length - 1; i++) {
    const t = tokens[i];
    if (t === "-j" || t === "--jump" || t === "-g" || t === "--goto") return tokens[i + 1];
  }
  return undefined;
}

/** The chain a `-A CHAIN ...` line appends to. */
export function ruleChain(rule: string): string {
  return rule.split(/\s+/)[1] ?? "";
}
