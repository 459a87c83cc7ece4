// Unit: the README's walkthrough parses into the kubectl commands the end-to-end suite runs.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { shellWords, walkthrough, walkthroughManifest } from "./walkthrough.js";

describe("the README walkthrough", () => {
  it("splits shell words: quotes, comments and pipes", () => {
    assert.deepEqual(shellWords(`kubectl get --raw '/readyz?verbose'   # checks`), [
      "kubectl",
      "get",
      "--raw",
      "/readyz?verbose",
    ]);
    assert.deepEqual(shellWords(`a --rule='x/*=y:80' "b c" | d`), [
      "a",
      "--rule=x/*=y:80",
      "b c",
      "|",
      "d",
    ]);
    assert.throws(() => shellWords("a 'b"), /unterminated quote/);
  });

  it("reads a pipeline as two commands and a here-document as the input", () => {
    const md = [
      "```sh",
      "kubectl create secret generic db --dry-run=client -o yaml | kubectl apply -f -",
      "kubectl apply -f - <<'EOF'",
      "kind: Pod",
      "metadata:",
      "  name: demo",
      "EOF",
      "```",
    ].join("\n");
    assert.deepEqual(walkthrough(md), [
      { args: ["create", "secret", "generic", "db", "--dry-run=client", "-o", "yaml"] },
      { args: ["apply", "-f", "-"] },
      { args: ["apply", "-f", "-"], input: "kind: Pod\nmetadata:\n  name: demo\n" },
    ]);
  });

  it("the README's walkthrough has its commands and the manifests the suite applies", () => {
    const commands = walkthrough().map((c) => c.args.join(" "));
    assert.ok(commands.includes("rollout undo deployment/nginx-deployment"), commands.join("\n"));
    assert.match(walkthroughManifest("projected"), /^kind: Pod$/m);
    assert.match(walkthroughManifest("data"), /volumeClaimTemplates:/);
  });
});
