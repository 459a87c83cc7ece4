/**
 * The label selector string parser (`a=b,c in (x,y),!d,e notin (z),f>3`),
 * a recursive descent with one token of lookahead, as upstream's labels.Parse.
 * Errors carry upstream's wording, e.g. `unable to parse requirement: ...`.
 */
import { InvalidRequirementError, LabelSelectorError } from "./errors.js";
import { type Token, type TokenKind, tokenize } from "./lexer.js";
import {
  BINARY_OPERATORS,
  compareStrings,
  newRequirement,
  type Operator,
  type Requirement,
  validateLabelKey,
} from "./requirement.js";
import { type Selector, selectorFromRequirements } from "./selector.js";

type Context = "keyAndOperator" | "values";

class Parser {
  private position = 0;
  constructor(
    private readonly tokens: readonly Token[],
    private readonly path: string | undefined,
  ) {}

  private view(index: number, context: Context): Token {
    const t = this.tokens[index] ?? { kind: "end", literal: "" };
    // In value position the keywords are ordinary identifiers: `x in (in)`.
    if (context === "values" && (t.kind === "in" || t.kind === "notIn")) {
      return { kind: "identifier", literal: t.literal };
    }
    return t;
  }

  lookahead(context: Context): Token {
    return this.view(this.position, context);
  }

  consume(context: Context): Token {
    const t = this.view(this.position, context);
    this.position++;
    return t;
  }

  parse(): Requirement[] {
    const reqs: Requirement[] = [];
    for (;;) {
      const t = this.lookahead("values");
      if (t.kind === "end") return reqs;
      if (t.kind !== "identifier" && t.kind !== "doesNotExist") {
        throw new LabelSelectorError(
          `found '${t.literal}', expected: !, identifier, or 'end of string'`,
        );
      }
      reqs.push(this.parseRequirement());
      const sep = this.consume("values");
      if (sep.kind === "end") return reqs;
      if (sep.kind !== "comma") {
        throw new LabelSelectorError(`found '${sep.literal}', expected: ',' or 'end of string'`);
      }
      const next = this.lookahead("values");
      if (next.kind !== "identifier" && next.kind !== "doesNotExist") {
        throw new LabelSelectorError(`found '${next.literal}', expected: identifier after ','`);
      }
    }
  }

  private parseRequirement(): Requirement {
    try {
      const { key, operator } = this.parseKeyAndInferOperator();
      if (operator !== undefined) {
        return newRequirement({ key, operator, values: [], path: this.path });
      }
      const op = this.parseOperator();
      const values = op === "in" || op === "notin" ? this.parseValues() : this.parseExactValue();
      const sorted = [...values].sort(compareStrings);
      return newRequirement({ key, operator: op, values: sorted, path: this.path });
    } catch (err) {
      if (err instanceof LabelSelectorError) {
        throw new LabelSelectorError(`unable to parse requirement: ${err.message}`, { cause: err });
      }
      throw err;
    }
  }

  /** The key, and `exists`/`!` when no binary operator follows. */
  private parseKeyAndInferOperator(): { key: string; operator: Operator | undefined } {
    let t = this.consume("values");
    let operator: Operator | undefined;
    if (t.kind === "doesNotExist") {
      operator = "!";
      t = this.consume("values");
    }
    if (t.kind !== "identifier") {
      throw new LabelSelectorError(`found '${t.literal}', expected: identifier`);
    }
    const keyErr = validateLabelKey(t.literal, this.path);
    if (keyErr) throw new InvalidRequirementError([keyErr]);
    const next = this.lookahead("values").kind;
    if ((next === "end" || next === "comma") && operator === undefined) operator = "exists";
    return { key: t.literal, operator };
  }

  private parseOperator(): Operator {
    const t = this.consume("keyAndOperator");
    const ops: Partial<Record<TokenKind, Operator>> = {
      in: "in",
      equals: "=",
      doubleEquals: "==",
      greaterThan: "gt",
      lessThan: "lt",
      notIn: "notin",
      notEquals: "!=",
    };
    const op = ops[t.kind];
    if (op === undefined) {
      throw new LabelSelectorError(
        `found '${t.literal}', expected: ${BINARY_OPERATORS.join(", ")}`,
      );
    }
    return op;
  }

  /** `(a,b,c)`; empty entries stand for the empty string value. */
  private parseValues(): Set<string> {
    const open = this.consume("values");
    if (open.kind !== "openPar")
      throw new LabelSelectorError(`found '${open.literal}' expected: '('`);
    const t = this.lookahead("values");
    if (t.kind === "identifier" || t.kind === "comma") {
      const s = this.parseIdentifiersList();
      if (this.consume("values").kind !== "closedPar") {
        throw new LabelSelectorError(`found '${t.literal}', expected: ')'`);
      }
      return s;
    }
    if (t.kind === "closedPar") {
      this.consume("values");
      return new Set([""]);
    }
    throw new LabelSelectorError(`found '${t.literal}', expected: ',', ')' or identifier`);
  }

  private parseIdentifiersList(): Set<string> {
    const s = new Set<string>();
    for (;;) {
      const t = this.consume("values");
      if (t.kind === "identifier") {
        s.add(t.literal);
        const next = this.lookahead("values");
        if (next.kind === "comma") continue;
        if (next.kind === "closedPar") return s;
        throw new LabelSelectorError(`found '${next.literal}', expected: ',' or ')'`);
      }
      if (t.kind === "comma") {
        if (s.size === 0) s.add(""); // "(," starts with an empty value
        const next = this.lookahead("values").kind;
        if (next === "closedPar") {
          s.add(""); // ",)" ends with one
          return s;
        }
        if (next === "comma") {
          this.consume("values");
          s.add(""); // ",," has one in between
        }
        continue;
      }
      throw new LabelSelectorError(`found '${t.literal}', expected: ',', or identifier`);
    }
  }

  private parseExactValue(): Set<string> {
    const t = this.lookahead("values");
    if (t.kind === "end" || t.kind === "comma") return new Set([""]);
    const v = this.consume("values");
    if (v.kind === "identifier") return new Set([v.literal]);
    throw new LabelSelectorError(`found '${v.literal}', expected: identifier`);
  }
}

/** The requirements of a selector string, sorted by key. Throws LabelSelectorError. */
export function parseToRequirements(
  selector: string,
  opts: { path?: string | undefined } = {},
): Requirement[] {
  const reqs = new Parser(tokenize(selector), opts.path).parse();
  return reqs.sort((a, b) => compareStrings(a.key, b.key));
}

/**
 * Parse a label selector string. The empty string selects everything.
 * Throws LabelSelectorError with upstream's message.
 */
export function parseSelector(selector: string, opts: { path?: string } = {}): Selector {
  return selectorFromRequirements(parseToRequirements(selector, opts));
}
