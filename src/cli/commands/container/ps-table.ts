/** `k8ts ps` as docker prints it (pure): the columns, the human times, the status text. */
import type { ContainerState } from "../../../runtime/cri.js";

export interface PsRow {
  readonly id: string;
  readonly image: string;
  readonly command: readonly string[];
  readonly createdAt: bigint;
  readonly state: ContainerState;
  readonly startedAt: bigint;
  readonly finishedAt: bigint;
  readonly exitCode: number;
  readonly ports: string;
  readonly name: string;
}

/** docker's units.HumanDuration: "Less than a second", "5 seconds", "About a minute", "3 hours"… */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return "Less than a second";
  if (seconds === 1) return "1 second";
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes === 1) return "About a minute";
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(ms / 3_600_000);
  if (hours === 1) return "About an hour";
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}

const msBetween = (fromNs: bigint, toNs: bigint) => Number((toNs - fromNs) / 1_000_000n);

export function statusText(row: PsRow, nowNs: bigint): string {
  switch (row.state) {
    case "CONTAINER_RUNNING":
      return `Up ${humanDuration(msBetween(row.startedAt, nowNs))}`;
    case "CONTAINER_EXITED":
      return `Exited (${row.exitCode}) ${humanDuration(msBetween(row.finishedAt, nowNs))} ago`;
    case "CONTAINER_CREATED":
      return "Created";
    default:
      return "Unknown";
  }
}

/** The command column: quoted, cut to 20 characters with an ellipsis. */
export function commandText(command: readonly string[]): string {
  const text = command.join(" ");
  return `"${text.length > 20 ? `${text.slice(0, 19)}…` : text}"`;
}

const HEADERS = ["CONTAINER ID", "IMAGE", "COMMAND", "CREATED", "STATUS", "PORTS", "NAMES"];

/** The table, columns padded to their widest cell with three spaces between. */
export function psTable(rows: readonly PsRow[], nowNs: bigint): string {
  const cells = [
    HEADERS,
    ...rows.map((r) => [
      r.id.slice(0, 12),
      r.image,
      commandText(r.command),
      `${humanDuration(msBetween(r.createdAt, nowNs))} ago`,
      statusText(r, nowNs),
      r.ports,
      r.name,
    ]),
  ];
  const widths = HEADERS.map((_, i) => Math.max(...cells.map((c) => (c[i] ?? "").length)));
  return cells
    .map((c) =>
      c
        .map((cell, i) => (i === c.length - 1 ? cell : cell.padEnd((widths[i] ?? 0) + 3)))
        .join("")
        .trimEnd(),
    )
    .join("\n");
}
