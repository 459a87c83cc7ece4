/**
 * A set of field paths, stored as a trie the way upstream's fieldpath.Set
 * is: at each node, the elements that are themselves members (owned leaves,
 * or "." in FieldsV1) and the elements with member descendants. A path can
 * be both a member and a prefix of members (an associative list item owned
 * as a whole and field by field).
 *
 * Sets are immutable once built: operations return new sets. `insert` is
 * for building a set and is used only before it is shared.
 */
import { compareElements, type Path, type PathElement, serializeElement } from "./path.js";

interface Child {
  readonly pe: PathElement;
  readonly set: FieldSet;
}

export class FieldSet {
  /** Member elements by their serialized form. */
  private readonly members = new Map<string, PathElement>();
  /** Non-empty child sets by their element's serialized form. */
  private readonly children = new Map<string, Child>();

  static of(paths: Iterable<Path>): FieldSet {
    const set = new FieldSet();
    for (const p of paths) set.insert(p);
    return set;
  }

  /** Adds a path (building only). The empty path is ignored, as nobody owns "the whole object". */
  insert(path: Path): void {
    const [head, ...rest] = path;
    if (head === undefined) return;
    const key = serializeElement(head);
    if (rest.length === 0) {
      this.members.set(key, head);
      return;
    }
    let child = this.children.get(key);
    if (child === undefined) {
      child = { pe: head, set: new FieldSet() };
      this.children.set(key, child);
    }
    child.set.insert(rest);
  }

  has(path: Path): boolean {
    const [head, ...rest] = path;
    if (head === undefined) return false;
    const key = serializeElement(head);
    if (rest.length === 0) return this.members.has(key);
    return this.children.get(key)?.set.has(rest) ?? false;
  }

  /** True when no path is a member (empty children never exist). */
  isEmpty(): boolean {
    return this.members.size === 0 && this.children.size === 0;
  }

  /** The members directly below the root, sorted. */
  memberElements(): PathElement[] {
    return [...this.members.values()].sort(compareElements);
  }

  /** The children directly below the root, sorted by element. */
  childEntries(): Array<readonly [PathElement, FieldSet]> {
    return [...this.children.values()]
      .sort((a, b) => compareElements(a.pe, b.pe))
      .map((c) => [c.pe, c.set] as const);
  }

  /** The set of paths below `pe` (relative to it); empty if none. */
  withPrefix(pe: PathElement): FieldSet {
    return this.children.get(serializeElement(pe))?.set ?? new FieldSet();
  }

  hasMember(pe: PathElement): boolean {
    return this.members.has(serializeElement(pe));
  }

  union(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    if (this.isEmpty()) return other;
    const out = new FieldSet();
    for (const [k, pe] of this.members) out.members.set(k, pe);
    for (const [k, pe] of other.members) out.members.set(k, pe);
    for (const [k, c] of this.children) out.children.set(k, c);
    for (const [k, c] of other.children) {
      const mine = out.children.get(k);
      out.children.set(k, mine === undefined ? c : { pe: c.pe, set: mine.set.union(c.set) });
    }
    return out;
  }

  intersection(other: FieldSet): FieldSet {
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      if (theirs === undefined) continue;
      const both = c.set.intersection(theirs.set);
      if (!both.isEmpty()) out.children.set(k, { pe: c.pe, set: both });
    }
    return out;
  }

  /** Paths in this set that are not members of `other` (exact paths). */
  difference(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      if (theirs === undefined) {
        out.children.set(k, c);
        continue;
      }
      const rest = c.set.difference(theirs.set);
      if (!rest.isEmpty()) out.children.set(k, { pe: c.pe, set: rest });
    }
    return out;
  }

  /** Like difference, but a member of `other` also removes everything below it. */
  recursiveDifference(other: FieldSet): FieldSet {
    if (other.isEmpty()) return this;
    const out = new FieldSet();
    for (const [k, pe] of this.members) if (!other.members.has(k)) out.members.set(k, pe);
    for (const [k, c] of this.children) {
      if (other.members.has(k)) continue;
      const theirs = other.children.get(k);
      if (theirs === undefined) {
        out.children.set(k, c);
        continue;
      }
      const rest = c.set.recursiveDifference(theirs.set);
      if (!rest.isEmpty()) out.children.set(k, { pe: c.pe, set: rest });
    }
    return out;
  }

  equals(other: FieldSet): boolean {
    if (this.members.size !== other.members.size || this.children.size !== other.children.size)
      return false;
    for (const k of this.members.keys()) if (!other.members.has(k)) return false;
    for (const [k, c] of this.children) {
      const theirs = other.children.get(k);
      if (theirs === undefined || !c.set.equals(theirs.set)) return false;
    }
    return true;
  }

  /**
   * Every member path, in upstream's iteration order: at each level the
   * members (sorted), then each child's paths (sorted by element).
   */
  paths(): Path[] {
    const out: Path[] = [];
    this.collect([], out);
    return out;
  }

  private collect(prefix: Path, out: Path[]): void {
    for (const pe of this.memberElements()) out.push([...prefix, pe]);
    for (const [pe, set] of this.childEntries()) set.collect([...prefix, pe], out);
  }

  get size(): number {
    let n = this.members.size;
    for (const c of this.children.values()) n += c.set.size;
    return n;
  }
}
