/**
 * Label selectors: an AND of requirements, plus the two special selectors
 * upstream has (Everything matches all, Nothing matches none). Both print as "".
 */
import {
  compareStrings,
  type Labels,
  type Requirement,
  requirementMatches,
  requirementString,
} from "./requirement.js";

export interface Selector {
  matches(labels: Labels): boolean;
  /** True when the selector does not restrict anything (Everything). */
  empty(): boolean;
  /** The canonical string: requirements sorted by key, joined by ",". */
  toString(): string;
  /** The requirements; `selectable` is false for Nothing. */
  requirements(): { requirements: readonly Requirement[]; selectable: boolean };
  /** A new selector with more requirements (Nothing stays Nothing). */
  add(...reqs: Requirement[]): Selector;
  /** The single value the selector demands for `label` (via =, == or a one-value in). */
  requiresExactMatch(label: string): string | undefined;
  /** True only for the Nothing selector. */
  readonly matchesNothing: boolean;
}

function byKey(a: Requirement, b: Requirement): number {
  return compareStrings(a.key, b.key);
}

class RequirementsSelector implements Selector {
  readonly matchesNothing = false;
  private readonly reqs: readonly Requirement[];

  /** `reqs` are sorted by key (stable) on construction. */
  constructor(reqs: readonly Requirement[]) {
    this.reqs = [...reqs].sort(byKey);
  }

  matches(labels: Labels): boolean {
    return this.reqs.every((r) => requirementMatches(r, labels));
  }

  empty(): boolean {
    return this.reqs.length === 0;
  }

  toString(): string {
    return this.reqs.map(requirementString).join(",");
  }

  requirements(): { requirements: readonly Requirement[]; selectable: boolean } {
    return { requirements: this.reqs, selectable: true };
  }

  add(...more: Requirement[]): Selector {
    return new RequirementsSelector([...this.reqs, ...more]);
  }

  requiresExactMatch(label: string): string | undefined {
    const r = this.reqs.find((x) => x.key === label);
    if (r === undefined) return undefined;
    if ((r.operator === "=" || r.operator === "==" || r.operator === "in") && r.values.length === 1)
      return r.values[0];
    return undefined;
  }
}

const NOTHING: Selector = {
  matchesNothing: true,
  matches: () => false,
  empty: () => false,
  toString: () => "",
  requirements: () => ({ requirements: [], selectable: false }),
  add: () => NOTHING,
  requiresExactMatch: () => undefined,
};

const EVERYTHING: Selector = new RequirementsSelector([]);

/** Matches every label set. */
export function everything(): Selector {
  return EVERYTHING;
}

/** Matches no label set. */
export function nothing(): Selector {
  return NOTHING;
}

/** A selector made of the given requirements (sorted by key). */
export function selectorFromRequirements(reqs: readonly Requirement[]): Selector {
  return reqs.length === 0 ? EVERYTHING : new RequirementsSelector(reqs);
}

/**
 * `key=value` for every entry, without validation (upstream's SelectorFromSet).
 * An empty or missing set selects everything.
 */
export function selectorFromSet(set: Labels | undefined | null): Selector {
  if (!set) return EVERYTHING;
  const reqs = Object.entries(set).map(
    ([key, value]): Requirement => ({ key, operator: "=", values: [value] }),
  );
  return selectorFromRequirements(reqs);
}

/** The `k=v,k2=v2` form of a label set, sorted by key (upstream's labels.Set.String). */
export function formatLabels(set: Labels): string {
  return Object.keys(set)
    .sort(compareStrings)
    .map((k) => `${k}=${set[k]}`)
    .join(",");
}
