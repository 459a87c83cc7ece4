/**
 * The README's walkthrough as data, so the end-to-end suite runs exactly
 * what a newcomer types: every `kubectl ...` line of the README's `sh`
 * blocks (a pipeline is several commands; `# comments` dropped), with the
 * manifest of a `<<'EOF'` here-document as that command's input.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const README = fileURLToPath(new URL("../../README.md", import.meta.url));

export interface WalkthroughCommand {
  /** kubectl's arguments, as the shell would pass them. */
  readonly args: readonly string[];
  /** The here-document fed to it, if any. */
  readonly input?: string;
}

/** Shell words of one line: single and double quotes, `#` comments, `|` as its own word. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: "'" | '"' | undefined;
  for (const ch of line) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      word ??= "";
    } else if (ch === "#" && word === undefined) {
      break;
    } else if (ch === " " || ch === "\t" || ch === "|") {
      if (word !== undefined) words.push(word);
      word = undefined;
      if (ch === "|") words.push("|");
    } else {
      word = (word ?? "") + ch;
    }
  }
  if (quote) throw new Error(`unterminated quote in ${JSON.stringify(line)}`);
  if (word !== undefined) words.push(word);
  return words;
}

/** Every kubectl command of the README's `sh` blocks, in order. */
export function walkthrough(text = readFileSync(README, "utf8")): WalkthroughCommand[] {
  const out: WalkthroughCommand[] = [];
  const lines = text.split("\n");
  let inSh = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.startsWith("```")) {
      inSh = !inSh && line === "```sh";
      continue;
    }
    if (!inSh || !line.startsWith("kubectl ")) continue;
    const words = shellWords(line);
    const heredoc = words.findIndex((w) => w.startsWith("<<"));
    let input: string | undefined;
    if (heredoc >= 0) {
      const end = words[heredoc]?.slice(2) || words[heredoc + 1];
      words.splice(heredoc, words[heredoc] === "<<" ? 2 : 1);
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== end; i++) body.push(lines[i] as string);
      input = `${body.join("\n")}\n`;
    }
    // a | b: each side is its own kubectl command.
    let start = 0;
    for (let j = 0; j <= words.length; j++) {
      if (j < words.length && words[j] !== "|") continue;
      const [cmd, ...args] = words.slice(start, j);
      if (cmd !== "kubectl") throw new Error(`not a kubectl command in the README: ${line}`);
      out.push(input !== undefined && start === 0 ? { args, input } : { args });
      start = j + 1;
    }
  }
  return out;
}

/** The here-document whose manifest names `name` (metadata.name), for the suite to apply. */
export function walkthroughManifest(name: string): string {
  const found = walkthrough().find((c) => c.input?.match(new RegExp(`^  name: ${name}$`, "m")));
  if (!found?.input) throw new Error(`the README's walkthrough has no manifest named ${name}`);
  return found.input;
}
