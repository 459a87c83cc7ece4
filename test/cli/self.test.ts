import assert from "node:assert/strict";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { selfCommand } from "../../src/cli/self.js";

describe("the command line that runs k8ts again", () => {
  const resolveModule = (s: string) => `file:///modules/${s}.mjs`;

  it("runs the same script with the same node options", () => {
    assert.deepEqual(
      selfCommand(
        {
          execPath: "/usr/bin/node",
          execArgv: ["--max-old-space-size=512"],
          argv: ["node", "/opt/k8ts/bin/k8ts", "run"],
        },
        resolveModule,
      ),
      ["/usr/bin/node", "--max-old-space-size=512", "/opt/k8ts/bin/k8ts"],
    );
  });

  it("resolves --import modules (bare or relative), which would not resolve from another directory", () => {
    assert.deepEqual(
      selfCommand(
        {
          execPath: "/usr/bin/node",
          execArgv: ["--import", "tsx", "--import=./local.mjs", "--import=pkg", "-e", "code"],
          argv: ["/usr/bin/node", "k8ts", "run"],
        },
        resolveModule,
      ),
      [
        "/usr/bin/node",
        "--import",
        "file:///modules/tsx.mjs",
        `--import=${pathToFileURL(resolve("local.mjs")).href}`,
        "--import=file:///modules/pkg.mjs",
        "-e",
        "code",
        "--",
        "k8ts",
      ],
    );
  });
});
