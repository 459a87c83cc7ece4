import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { NodeSelector } from "kubernetes-types/core/v1.js";
import {
  compileNodeSelector,
  compilePreferredSchedulingTerms,
  LazyNodeSelector,
  NodeSelectorError,
  nodeSelectorRequirementsMatch,
  requiredNodeAffinity,
} from "../../../src/machinery/labels/index.js";

const node = (name: string, labels: Record<string, string>) => ({ metadata: { name, labels } });
const n1 = node("node-1", { zone: "a", cpus: "8", "kubernetes.io/os": "linux" });
const n2 = node("node-2", { zone: "b", cpus: "2" });

describe("node selectors", () => {
  const cases: { name: string; selector: NodeSelector; want: [boolean, boolean] }[] = [
    {
      name: "In on a label",
      selector: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] }],
      },
      want: [true, false],
    },
    {
      name: "Gt on a numeric label",
      selector: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "cpus", operator: "Gt", values: ["4"] }] }],
      },
      want: [true, false],
    },
    {
      name: "Lt on a numeric label",
      selector: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "cpus", operator: "Lt", values: ["4"] }] }],
      },
      want: [false, true],
    },
    {
      name: "DoesNotExist",
      selector: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: "kubernetes.io/os", operator: "DoesNotExist" }] },
        ],
      },
      want: [false, true],
    },
    {
      name: "matchFields on metadata.name",
      selector: {
        nodeSelectorTerms: [
          { matchFields: [{ key: "metadata.name", operator: "In", values: ["node-2"] }] },
        ],
      },
      want: [false, true],
    },
    {
      name: "terms ORed",
      selector: {
        nodeSelectorTerms: [
          { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
          { matchFields: [{ key: "metadata.name", operator: "In", values: ["node-2"] }] },
        ],
      },
      want: [true, true],
    },
    {
      name: "requirements in a term ANDed",
      selector: {
        nodeSelectorTerms: [
          {
            matchExpressions: [{ key: "zone", operator: "In", values: ["a", "b"] }],
            matchFields: [{ key: "metadata.name", operator: "NotIn", values: ["node-1"] }],
          },
        ],
      },
      want: [false, true],
    },
    { name: "only empty terms", selector: { nodeSelectorTerms: [{}] }, want: [false, false] },
  ];
  for (const c of cases) {
    it(`matches with ${c.name}`, () => {
      const s = compileNodeSelector(c.selector);
      assert.deepEqual([s.matches(n1), s.matches(n2)], c.want);
    });
  }

  it("reports invalid requirements with their field paths", () => {
    assert.throws(
      () =>
        compileNodeSelector({
          nodeSelectorTerms: [
            { matchExpressions: [{ key: "zone", operator: "Near", values: ["a"] }] },
            { matchFields: [{ key: "metadata.name", operator: "In", values: ["a", "b"] }] },
          ],
        }),
      (err: unknown) =>
        err instanceof NodeSelectorError &&
        err.message ===
          '[nodeSelectorTerms[0].matchExpressions[0].operator: Unsupported value: "Near": supported values: "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", nodeSelectorTerms[1].matchFields[0].values: Invalid value: []string{"a", "b"}: must have one element]',
    );
  });

  it("defers errors of invalid terms when another term matches", () => {
    const lazy = new LazyNodeSelector({
      nodeSelectorTerms: [
        { matchExpressions: [{ key: "cpus", operator: "Gt", values: ["many"] }] },
        { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
      ],
    });
    assert.deepEqual(lazy.match(n1), { matches: true });
    const miss = lazy.match(n2);
    assert.equal(miss.matches, false);
    assert.ok(miss.error instanceof NodeSelectorError);
  });

  it("sums the weights of matching preferred terms", () => {
    const prefs = compilePreferredSchedulingTerms([
      {
        weight: 10,
        preference: { matchExpressions: [{ key: "zone", operator: "In", values: ["a"] }] },
      },
      { weight: 5, preference: { matchExpressions: [{ key: "cpus", operator: "Exists" }] } },
      { weight: 0, preference: { matchExpressions: [{ key: "cpus", operator: "Exists" }] } },
    ]);
    assert.equal(prefs.score(n1), 15);
    assert.equal(prefs.score(n2), 5);
  });

  it("requires both a pod's nodeSelector and its required affinity", () => {
    const pod = {
      spec: {
        containers: [],
        nodeSelector: { "kubernetes.io/os": "linux" },
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [
                { matchExpressions: [{ key: "zone", operator: "NotIn", values: ["b"] }] },
              ],
            },
          },
        },
      },
    };
    const req = requiredNodeAffinity(pod);
    assert.equal(req.match(n1).matches, true);
    assert.equal(req.match(n2).matches, false);
    assert.equal(requiredNodeAffinity({ spec: { containers: [] } }).match(n2).matches, true);
  });

  it("matches a bare requirement list against labels", () => {
    assert.equal(
      nodeSelectorRequirementsMatch([{ key: "zone", operator: "Exists" }], { zone: "x" }),
      true,
    );
    assert.equal(nodeSelectorRequirementsMatch([], { zone: "x" }), false);
  });
});
