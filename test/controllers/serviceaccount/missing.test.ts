import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { missingServiceAccounts } from "../../../src/controllers/serviceaccount/missing.js";

describe("missing service accounts", () => {
  it("names the wanted accounts an active namespace lacks", () => {
    assert.deepEqual(
      missingServiceAccounts({
        phase: "Active",
        wanted: ["default", "builder"],
        existing: new Set(["builder"]),
      }),
      ["default"],
    );
    assert.deepEqual(
      missingServiceAccounts({
        phase: "Active",
        wanted: ["default"],
        existing: new Set(["default"]),
      }),
      [],
    );
  });

  it("wants nothing in a namespace that is terminating or has no phase yet", () => {
    assert.deepEqual(
      missingServiceAccounts({ phase: "Terminating", wanted: ["default"], existing: new Set() }),
      [],
    );
    assert.deepEqual(
      missingServiceAccounts({ phase: undefined, wanted: ["default"], existing: new Set() }),
      [],
    );
  });
});
