/**
 * Node selectors as the scheduler and the DaemonSet controller use them
 * (upstream's component-helpers nodeaffinity): terms are ORed, the
 * requirements inside a term ANDed; matchExpressions select on node labels
 * (In, NotIn, Exists, DoesNotExist, Gt, Lt), matchFields on `metadata.name`
 * (In and NotIn with exactly one value). Empty terms select nothing.
 */
import type {
  Node,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  Pod,
  PreferredSchedulingTerm,
} from "kubernetes-types/core/v1.js";
import {
  andSelectors,
  type FieldSelector,
  type Fields,
  nothingFields,
  oneTermEqualSelector,
  oneTermNotEqualSelector,
} from "../fields/selector.js";
import {
  aggregate,
  fieldPath,
  goStringSlice,
  InvalidRequirementError,
  invalidError,
  LabelSelectorError,
  notSupportedError,
  type SelectorFieldError,
} from "./errors.js";
import { type Labels, newRequirement, type Operator, type Requirement } from "./requirement.js";
import { nothing, type Selector, selectorFromRequirements, selectorFromSet } from "./selector.js";

/** A node selector with invalid requirements; `errors` lists each (flattened). */
export class NodeSelectorError extends LabelSelectorError {
  constructor(readonly errors: readonly SelectorFieldError[]) {
    super(aggregate(errors.map((e) => e.message)));
  }
}

const LABEL_OPERATORS: Readonly<Record<string, Operator>> = {
  In: "in",
  NotIn: "notin",
  Exists: "exists",
  DoesNotExist: "!",
  Gt: "gt",
  Lt: "lt",
};
const VALID_LABEL_OPERATORS = ["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"];
const VALID_FIELD_OPERATORS = ["In", "NotIn"];

/** The subset of a Node that selectors read. */
export type NodeLike = Pick<Node, "metadata">;

interface CompiledTerm {
  readonly labels: Selector | undefined;
  readonly fields: FieldSelector | undefined;
  readonly errors: readonly SelectorFieldError[];
}

function compileExpressions(
  exprs: readonly NodeSelectorRequirement[],
  path: string,
): { selector: Selector; errors: SelectorFieldError[] } {
  const errors: SelectorFieldError[] = [];
  const reqs: Requirement[] = [];
  exprs.forEach((expr, i) => {
    const p = fieldPath.index(path, i);
    const op = Object.hasOwn(LABEL_OPERATORS, expr.operator)
      ? LABEL_OPERATORS[expr.operator]
      : undefined;
    if (op === undefined) {
      errors.push(
        notSupportedError(fieldPath.child(p, "operator"), expr.operator, VALID_LABEL_OPERATORS),
      );
      return;
    }
    try {
      reqs.push(newRequirement({ key: expr.key, operator: op, values: expr.values, path: p }));
    } catch (err) {
      if (!(err instanceof InvalidRequirementError)) throw err;
      errors.push(...err.errors);
    }
  });
  return { selector: exprs.length === 0 ? nothing() : selectorFromRequirements(reqs), errors };
}

function compileFields(
  exprs: readonly NodeSelectorRequirement[],
  path: string,
): { selector: FieldSelector; errors: SelectorFieldError[] } {
  if (exprs.length === 0) return { selector: nothingFields(), errors: [] };
  const errors: SelectorFieldError[] = [];
  const selectors: FieldSelector[] = [];
  exprs.forEach((expr, i) => {
    const p = fieldPath.index(path, i);
    if (expr.operator !== "In" && expr.operator !== "NotIn") {
      errors.push(
        notSupportedError(fieldPath.child(p, "operator"), expr.operator, VALID_FIELD_OPERATORS),
      );
      return;
    }
    if (expr.values?.length !== 1) {
      const vp = fieldPath.child(p, "values");
      errors.push(invalidError(vp, goStringSlice(expr.values), "must have one element"));
      return;
    }
    const v = expr.values[0] as string;
    selectors.push(
      expr.operator === "In"
        ? oneTermEqualSelector(expr.key, v)
        : oneTermNotEqualSelector(expr.key, v),
    );
  });
  return { selector: andSelectors(...selectors), errors };
}

function isEmptyTerm(term: NodeSelectorTerm): boolean {
  return (term.matchExpressions?.length ?? 0) === 0 && (term.matchFields?.length ?? 0) === 0;
}

function compileTerm(term: NodeSelectorTerm, path: string): CompiledTerm {
  const errors: SelectorFieldError[] = [];
  let labels: Selector | undefined;
  let fields: FieldSelector | undefined;
  if ((term.matchExpressions?.length ?? 0) > 0) {
    const r = compileExpressions(
      term.matchExpressions ?? [],
      fieldPath.child(path, "matchExpressions"),
    );
    labels = r.selector;
    errors.push(...r.errors);
  }
  if ((term.matchFields?.length ?? 0) > 0) {
    const r = compileFields(term.matchFields ?? [], fieldPath.child(path, "matchFields"));
    fields = r.selector;
    errors.push(...r.errors);
  }
  return { labels, fields, errors };
}

function nodeLabels(node: NodeLike): Labels {
  return node.metadata?.labels ?? {};
}

function nodeFields(node: NodeLike): Fields {
  const name = node.metadata?.name;
  return name ? { "metadata.name": name } : {};
}

/** Whether a valid compiled term matches; a node without a name skips matchFields. */
function termMatches(t: CompiledTerm, labels: Labels, fields: Fields): boolean {
  if (t.labels !== undefined && !t.labels.matches(labels)) return false;
  if (t.fields !== undefined && Object.keys(fields).length > 0 && !t.fields.matches(fields))
    return false;
  return true;
}

/** The result of matching with deferred errors: the errors of terms that could not be evaluated. */
export interface LazyMatch {
  readonly matches: boolean;
  readonly error?: NodeSelectorError;
}

/**
 * A node selector that reports invalid terms only when no valid term matches
 * (upstream's LazyErrorNodeSelector, used for pods already accepted).
 */
export class LazyNodeSelector {
  private readonly terms: readonly CompiledTerm[];

  constructor(ns: NodeSelector, opts: { path?: string } = {}) {
    const path = fieldPath.child(opts.path, "nodeSelectorTerms");
    this.terms = (ns.nodeSelectorTerms ?? []).flatMap((term, i) =>
      isEmptyTerm(term) ? [] : [compileTerm(term, fieldPath.index(path, i))],
    );
  }

  /** Errors of every term that failed to compile. */
  errors(): SelectorFieldError[] {
    return this.terms.flatMap((t) => t.errors);
  }

  match(node: NodeLike | undefined): LazyMatch {
    if (node === undefined) return { matches: false };
    const labels = nodeLabels(node);
    const fields = nodeFields(node);
    const errors: SelectorFieldError[] = [];
    for (const t of this.terms) {
      if (t.errors.length > 0) {
        errors.push(...t.errors);
        continue;
      }
      if (termMatches(t, labels, fields)) return { matches: true };
    }
    return errors.length > 0
      ? { matches: false, error: new NodeSelectorError(errors) }
      : { matches: false };
  }
}

/**
 * Compile a node selector, throwing NodeSelectorError if any term is invalid
 * (upstream's NewNodeSelector). `matches(node)` is true when any term matches.
 */
export function compileNodeSelector(
  ns: NodeSelector,
  opts: { path?: string } = {},
): { matches(node: NodeLike | undefined): boolean } {
  const lazy = new LazyNodeSelector(ns, opts);
  const errors = lazy.errors();
  if (errors.length > 0) throw new NodeSelectorError(errors);
  return { matches: (node) => lazy.match(node).matches };
}

/** Whether one NodeSelectorRequirement list (ANDed) holds for these labels; throws if invalid. */
export function nodeSelectorRequirementsMatch(
  exprs: readonly NodeSelectorRequirement[],
  labels: Labels,
): boolean {
  const r = compileExpressions(exprs, "");
  if (r.errors.length > 0) throw new NodeSelectorError(r.errors);
  return r.selector.matches(labels);
}

/**
 * Preferred scheduling terms: `score(node)` sums the weights of matching terms.
 * Terms with weight 0 or no requirements are ignored; invalid ones throw.
 */
export function compilePreferredSchedulingTerms(
  terms: readonly PreferredSchedulingTerm[],
  opts: { path?: string } = {},
): { score(node: NodeLike): number } {
  const compiled: { term: CompiledTerm; weight: number }[] = [];
  const errors: SelectorFieldError[] = [];
  terms.forEach((t, i) => {
    if (t.weight === 0 || isEmptyTerm(t.preference)) return;
    const term = compileTerm(t.preference, fieldPath.index(opts.path, i));
    if (term.errors.length > 0) errors.push(...term.errors);
    else compiled.push({ term, weight: t.weight });
  });
  if (errors.length > 0) throw new NodeSelectorError(errors);
  return {
    score(node) {
      const labels = nodeLabels(node);
      const fields = nodeFields(node);
      return compiled.reduce(
        (sum, c) => sum + (termMatches(c.term, labels, fields) ? c.weight : 0),
        0,
      );
    },
  };
}

/**
 * A pod's hard node constraints: `spec.nodeSelector` and the required node
 * affinity, both of which must hold (upstream's GetRequiredNodeAffinity).
 */
export function requiredNodeAffinity(pod: Pick<Pod, "spec">): { match(node: NodeLike): LazyMatch } {
  const nodeSelector = pod.spec?.nodeSelector;
  const labelSelector =
    nodeSelector && Object.keys(nodeSelector).length > 0
      ? selectorFromSet(nodeSelector)
      : undefined;
  const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  const affinity = required ? new LazyNodeSelector(required) : undefined;
  return {
    match(node) {
      if (labelSelector && !labelSelector.matches(nodeLabels(node))) return { matches: false };
      return affinity ? affinity.match(node) : { matches: true };
    },
  };
}
