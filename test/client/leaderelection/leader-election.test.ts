// Leader election between processes over a real API server's Lease.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestApiServer, type TestApiServer } from "../../support/apiserver.js";

const CANDIDATE = fileURLToPath(new URL("./candidate.ts", import.meta.url));

interface Candidate {
  readonly id: string;
  readonly child: ChildProcess;
  lines: string[];
}

function candidate(kubeconfig: string, id: string): Candidate {
  const child = spawn(process.execPath, ["--import", "tsx", CANDIDATE, kubeconfig, id], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const c: Candidate = { id, child, lines: [] };
  child.stdout?.on("data", (d: Buffer) =>
    c.lines.push(...d.toString().split("\n").filter(Boolean)),
  );
  return c;
}

const leading = (c: Candidate) => c.lines.filter((l) => l === "leading").length;

async function until(cond: () => boolean, what: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!cond()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

describe("leader election", () => {
  let server: TestApiServer;
  const children: Candidate[] = [];
  before(async () => {
    server = await startTestApiServer();
  });
  after(async () => {
    for (const c of children) c.child.kill("SIGKILL");
    await server?.stop();
  });

  it("has exactly one leader, and a survivor takes over after SIGKILL within the lease duration", async () => {
    const a = candidate(server.adminKubeconfig, "a");
    const b = candidate(server.adminKubeconfig, "b");
    children.push(a, b);
    await until(() => leading(a) + leading(b) === 1, "one leader", 20_000);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal(leading(a) + leading(b), 1, "still exactly one leader");
    const [leader, follower] = leading(a) === 1 ? [a, b] : [b, a];
    leader.child.kill("SIGKILL");
    // Lease duration 3 s, retry period 0.5 s.
    const took = await until(() => leading(follower) === 1, "takeover", 10_000);
    assert.ok(took <= 3000 + 1500, `took over after ${took} ms`);
  });

  it("hands over at once when the leader stops cleanly", async () => {
    const c = candidate(server.adminKubeconfig, "c");
    children.push(c);
    const current = children.find(
      (x) =>
        x.id !== "c" &&
        leading(x) === 1 &&
        x.child.exitCode === null &&
        x.child.signalCode === null,
    );
    assert.ok(current, "someone leads");
    // Wait until c is campaigning and has seen the current leader.
    await until(() => c.lines.includes(`leader ${current.id}`), "c to observe the leader", 20_000);
    assert.equal(leading(c), 0);
    current.child.kill("SIGTERM");
    const took = await until(() => leading(c) === 1, "handover", 10_000);
    assert.ok(took < 2000, `handed over after ${took} ms (lease duration is 3000 ms)`);
    assert.ok(current.lines.includes("stopped"));
  });
});
