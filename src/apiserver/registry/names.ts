import { randomInt } from "node:crypto";

/** Upstream's alphabet for generated name suffixes: no vowels, no look-alikes. */
const ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
const MAX_NAME = 63;
const SUFFIX = 5;

/** `generateName` plus five random characters, the base cut so the result fits 63. */
export function generateName(base: string): string {
  let b = base;
  if (b.length > MAX_NAME - SUFFIX) b = b.slice(0, MAX_NAME - SUFFIX);
  let s = "";
  for (let i = 0; i < SUFFIX; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return b + s;
}
