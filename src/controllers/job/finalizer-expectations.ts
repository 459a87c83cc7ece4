/**
 * Pods whose tracking-finalizer removal a Job's sync issued but the pod
 * informer has not yet shown. Such a pod was already counted; while its
 * cached copy still shows the finalizer it must be skipped, or a stale
 * cache would count it twice. Entries leave when the pod is seen without
 * the finalizer or deleted, or when the removal call failed.
 */
export class FinalizerExpectations {
  private readonly byJob = new Map<string, Set<string>>();

  expectRemovals(jobKey: string, uids: Iterable<string>): void {
    let set = this.byJob.get(jobKey);
    if (!set) {
      set = new Set();
      this.byJob.set(jobKey, set);
    }
    for (const uid of uids) set.add(uid);
  }

  removalObserved(jobKey: string, uid: string): void {
    const set = this.byJob.get(jobKey);
    if (!set) return;
    set.delete(uid);
    if (set.size === 0) this.byJob.delete(jobKey);
  }

  /** A snapshot, so a sync sees one consistent set while events keep arriving. */
  expected(jobKey: string): ReadonlySet<string> {
    return new Set(this.byJob.get(jobKey) ?? []);
  }

  delete(jobKey: string): void {
    this.byJob.delete(jobKey);
  }
}
