/**
 * Which of the service accounts every namespace must have are missing
 * from it. Terminating namespaces get none: their content is being
 * removed. Pure.
 */
export function missingServiceAccounts(opts: {
  readonly phase: string | undefined;
  readonly wanted: readonly string[];
  readonly existing: ReadonlySet<string>;
}): string[] {
  if (opts.phase !== "Active") return [];
  return opts.wanted.filter((name) => !opts.existing.has(name));
}
