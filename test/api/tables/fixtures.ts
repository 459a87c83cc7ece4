import type { KubeObject } from "../../../src/api/strategy.js";

/** The reference time all test objects are aged against. */
export const NOW = new Date("2024-05-01T12:00:00Z");

/** An RFC 3339 timestamp `ms` before NOW. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export function obj(fields: Record<string, unknown>): KubeObject {
  return fields as KubeObject;
}
