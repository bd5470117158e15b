/**
 * An ordered multiset stored as a list of sorted blocks (the "sorted containers" design):
 * O(log n) search, inserts/removals move at most one block of ~MAX_BLOCK entries, and iteration
 * is a plain array walk. Entries must be totally ordered by `cmp` (indexes tie-break on record id,
 * so no two entries compare equal).
 */
const MAX_BLOCK = 1024;
const HALF_BLOCK = MAX_BLOCK >> 1;

export interface Cursor { b: number; i: number }

export class SortedList<T> {
  blocks: T[][] = [];
  size = 0;
  /** Bumped on every structural change, so paused iterators know to re-seek. */
  version = 0;

  constructor(readonly cmp: (a: T, b: T) => number) {}

  /** Replaces the content with `items` (need not be sorted). */
  load(items: T[]): void {
    items.sort(this.cmp);
    this.blocks = [];
    for (let i = 0; i < items.length; i += HALF_BLOCK) this.blocks.push(items.slice(i, i + HALF_BLOCK));
    this.size = items.length;
    this.version++;
  }

  clear(): void {
    this.blocks = [];
    this.size = 0;
    this.version++;
  }

  /** Index of the first block whose last entry is >= x by `f` (f(entry) < 0 means entry < x). */
  private blockFor(f: (e: T) => number): number {
    const blocks = this.blocks;
    let lo = 0, hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const blk = blocks[mid];
      if (f(blk[blk.length - 1]) < 0) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  /** Position of the first entry e with f(e) >= 0 (f is monotonic: negative before the bound). */
  lowerBound(f: (e: T) => number): Cursor {
    const b = this.blockFor(f);
    if (b === this.blocks.length) return { b, i: 0 };
    const blk = this.blocks[b];
    let lo = 0, hi = blk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (f(blk[mid]) < 0) lo = mid + 1; else hi = mid;
    }
    return { b, i: lo };
  }

  insert(x: T): void {
    this.version++;
    this.size++;
    if (this.blocks.length === 0) { this.blocks.push([x]); return; }
    const cmp = this.cmp;
    // Ascending inserts (ObjectIds, timestamps) append to the last block without a search.
    const lastBlk = this.blocks[this.blocks.length - 1];
    if (cmp(lastBlk[lastBlk.length - 1], x) < 0) {
      lastBlk.push(x);
      if (lastBlk.length > MAX_BLOCK) this.blocks.push(lastBlk.splice(HALF_BLOCK));
      return;
    }
    let b = this.blockFor((e) => cmp(e, x));
    if (b === this.blocks.length) b--;
    const blk = this.blocks[b];
    let lo = 0, hi = blk.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(blk[mid], x) < 0) lo = mid + 1; else hi = mid;
    }
    blk.splice(lo, 0, x);
    if (blk.length > MAX_BLOCK) this.blocks.splice(b + 1, 0, blk.splice(HALF_BLOCK));
  }

  /** Removes the entry equal (cmp == 0) to x; returns whether it was found. */
  delete(x: T): boolean {
    const cmp = this.cmp;
    const pos = this.lowerBound((e) => cmp(e, x));
    const blk = this.blocks[pos.b];
    if (!blk || pos.i >= blk.length || cmp(blk[pos.i], x) !== 0) return false;
    blk.splice(pos.i, 1);
    if (blk.length === 0) this.blocks.splice(pos.b, 1);
    else if (blk.length < HALF_BLOCK >> 2 && pos.b + 1 < this.blocks.length) {
      // merge small blocks so block count stays proportional to size
      const next = this.blocks[pos.b + 1];
      if (blk.length + next.length <= MAX_BLOCK) {
        this.blocks[pos.b] = blk.concat(next);
        this.blocks.splice(pos.b + 1, 1);
      }
    }
    this.size--;
    this.version++;
    return true;
  }

  /** Number of entries in [from, to). */
  countBetween(from: Cursor, to: Cursor): number {
    if (from.b > to.b || (from.b === to.b && from.i >= to.i)) return 0;
    if (from.b === to.b) return to.i - from.i;
    let n = this.blocks[from.b].length - from.i;
    for (let b = from.b + 1; b < to.b && b < this.blocks.length; b++) n += this.blocks[b].length;
    if (to.b < this.blocks.length) n += to.i;
    return n;
  }

  /** Iterates entries from `from` (inclusive) to `to` (exclusive) in order. */
  *range(from: Cursor, to: Cursor): Generator<T> {
    for (let b = from.b; b < this.blocks.length && b <= to.b; b++) {
      const blk = this.blocks[b];
      const start = b === from.b ? from.i : 0;
      const end = b === to.b ? to.i : blk.length;
      for (let i = start; i < end; i++) yield blk[i];
    }
  }
}
