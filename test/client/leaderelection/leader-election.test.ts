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
  /** When (Date.now()) the candidate's first "leading" line arrived. */
  ledAt?: number;
}

function candidate(kubeconfig: string, id: string): Candidate {
  const child = spawn(process.execPath, ["--import", "tsx", CANDIDATE, kubeconfig, id], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const c: Candidate = { id, child, lines: [] };
  child.stdout?.on("data", (d: Buffer) => {
    const lines = d.toString().split("\n").filter(Boolean);
    if (c.ledAt === undefined && lines.includes("leading")) c.ledAt = Date.now();
    c.lines.push(...lines);
  });
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
    const killedAt = Date.now();
    leader.child.kill("SIGKILL");
    await until(() => leading(follower) === 1, "takeover", 10_000);
    const took = (follower.ledAt ?? Number.POSITIVE_INFINITY) - killedAt;
    // What the bound is (candidate.ts: lease duration 3000 ms, retry period 500 ms),
    // measured from the kill to the survivor's "leading" line. The survivor
    // judges expiry by its own clock from when it last saw the lease record
    // change. The leader's last renewal happened at or before the kill, but
    // the survivor may only see it at its next poll, up to one retry period
    // later; it then takes over at its first poll a lease duration after
    // that. So the honest worst case is leaseDuration + retryPeriod after
    // the kill, plus the request round trips on the way: each poll's delay
    // starts when its request returns, so about ten loopback round trips
    // (a few ms each; 400 ms allowed for them on a loaded machine). The
    // lower bound is a lease duration after a renewal that may have come
    // up to a retry period before the kill.
    const LEASE_MS = 3000;
    const RETRY_MS = 500;
    const ROUND_TRIPS_MS = 400;
    assert.ok(
      took >= LEASE_MS - RETRY_MS - ROUND_TRIPS_MS,
      `took over after only ${took} ms: the lease was not honoured`,
    );
    assert.ok(took <= LEASE_MS + RETRY_MS + ROUND_TRIPS_MS, `took over after ${took} ms`);
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
