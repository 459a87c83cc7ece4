#!/usr/bin/env node
// Runs the test suites with Node's test runner (TypeScript through tsx).
//   node scripts/test.mjs            every suite
//   node scripts/test.mjs --unit     only unit tests (no root, no system packages)
//   node scripts/test.mjs FILTER...  only test files whose path contains a FILTER
// Naming: *.system.test.ts needs system packages (etcd-server, kubectl, ...),
// *.root.test.ts needs root; everything else is a unit test.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const args = process.argv.slice(2);
const unitOnly = args.includes("--unit");
const filters = args.filter((a) => !a.startsWith("--"));

const files = readdirSync("test", { recursive: true })
  .map((f) => join("test", String(f)))
  .filter((f) => f.endsWith(".test.ts"))
  .filter((f) => !unitOnly || !/\.(system|root)\.test\.ts$/.test(f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();

if (files.length === 0) {
  console.error("no test files matched");
  process.exit(1);
}

const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-concurrency=4", ...files],
  { stdio: "inherit" },
);
process.exit(result.status ?? 1);
