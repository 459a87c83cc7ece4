import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { KubeObject } from "../../../src/api/strategy.js";
import { customResourceStrategy, valueAtPath } from "../../../src/apiserver/crd/strategy.js";
import { formatFieldError } from "../../../src/machinery/field-errors.js";
import { cronTab, cronTabVersion, crVersion } from "./crontab.fixture.js";

const strategy = customResourceStrategy(crVersion());
const stored = (spec: Record<string, unknown> = {}, generation = 1): KubeObject => {
  const o = cronTab(spec);
  o.metadata = { ...o.metadata, generation, uid: "u1" };
  return o;
};

describe("customResourceStrategy", () => {
  it("names are DNS subdomains", () => {
    assert.equal(strategy.nameRule, "subdomain");
  });

  it("defaults from the schema", () => {
    const obj = cronTab();
    delete (obj.spec as Record<string, unknown>).replicas;
    strategy.default?.(obj);
    assert.equal((obj.spec as { replicas: number }).replicas, 1);
  });

  it("validates against the schema", () => {
    assert.deepEqual(strategy.validate?.(cronTab()), []);
    assert.deepEqual(strategy.validate?.(cronTab({ replicas: 11 }))?.map(formatFieldError), [
      "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
    ]);
    assert.deepEqual(strategy.validateUpdate?.(cronTab({ replicas: 11 }), cronTab()), []);
  });

  it("checks the scale subresource's spec replicas", () => {
    const s = customResourceStrategy(
      crVersion(
        cronTabVersion({
          schema: {
            openAPIV3Schema: {
              type: "object",
              "x-kubernetes-preserve-unknown-fields": true,
            } as never,
          },
        }),
      ),
    );
    assert.deepEqual(s.validate?.(cronTab({ replicas: -1 }))?.map(formatFieldError), [
      ".spec.replicas: Invalid value: -1: should be a non-negative integer",
    ]);
    assert.equal(s.validate?.(cronTab({ replicas: "x" }))?.length, 1);
    assert.deepEqual(s.validate?.(cronTab({ replicas: 2 })), []);
  });

  it("validates status updates (schema and status replicas)", () => {
    const next = stored();
    next.status = { replicas: "two" };
    assert.deepEqual(strategy.validateStatusUpdate?.(next, stored())?.map(formatFieldError), [
      'status.replicas: Invalid value: "string": status.replicas in body must be of type integer: "string"',
      '.status.replicas: Invalid value: 0: status.replicas accessor error: "two" is of the type string, expected int64',
    ]);
    next.status = { replicas: 2, labelSelector: "app=x" };
    assert.deepEqual(strategy.validateStatusUpdate?.(next, stored()), []);
  });

  it("starts generation at 1 on create", () => {
    const obj = cronTab();
    strategy.prepareForCreate?.(obj);
    assert.equal(obj.metadata?.generation, 1);
  });

  it("bumps generation on spec changes only", () => {
    const old = stored({}, 3);
    const same = stored({}, 3);
    same.metadata = { ...same.metadata, labels: { a: "b" } };
    strategy.prepareForUpdate?.(same, old);
    assert.equal(same.metadata?.generation, 3);

    const changed = stored({ replicas: 2 }, 3);
    strategy.prepareForUpdate?.(changed, old);
    assert.equal(changed.metadata?.generation, 4);
  });

  it("an update that only spells out a default does not bump generation", () => {
    const old = stored({}, 2);
    const next = stored({}, 2);
    delete (next.spec as Record<string, unknown>).replicas;
    strategy.prepareForUpdate?.(next, old);
    assert.equal(next.metadata?.generation, 2);
    assert.equal((next.spec as { replicas: number }).replicas, 1);
  });

  it("without a status subresource, status changes bump generation too", () => {
    const noStatus = customResourceStrategy(crVersion(cronTabVersion({ subresources: {} })));
    const old = stored({}, 1);
    const next = stored({}, 1);
    next.status = { replicas: 1 };
    noStatus.prepareForUpdate?.(next, old);
    assert.equal(next.metadata?.generation, 2);
  });

  it("selectable fields from the CRD", () => {
    assert.equal(strategy.selectableFields, undefined);
    const s = customResourceStrategy(
      crVersion(
        cronTabVersion({
          selectableFields: [
            { jsonPath: ".spec.image" },
            { jsonPath: ".spec.replicas" },
            { jsonPath: ".spec.missing" },
          ],
        }),
      ),
    );
    assert.deepEqual(s.selectableFields?.(cronTab({ replicas: 3 })), {
      "spec.image": "my-awesome-cron-image",
      "spec.replicas": "3",
      "spec.missing": "",
    });
  });

  it("valueAtPath", () => {
    assert.deepEqual(valueAtPath({ a: { b: 0 } }, ".a.b"), { found: true, value: 0 });
    assert.deepEqual(valueAtPath({ a: {} }, ".a.b"), { found: false, value: undefined });
  });
});
