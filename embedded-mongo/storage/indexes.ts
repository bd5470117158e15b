/**
 * Secondary (and _id) indexes: a hash map from canonical key string to record ids (equality,
 * $in and unique checks in O(1)) plus an ordered SortedList of {key tuple, rid} entries for range
 * scans and sorted walks. Both are maintained on every committed write.
 */
import type { Doc } from '../bson/codec.js';
import { isNumeric, isPlainDoc, toNumber } from '../bson/codec.js';
import { EMPTY_ARRAY_KEY, bracket, compareValues, keyString } from '../bson/order.js';
import { MongoError, badValue } from '../errors.js';
import type { Matcher } from '../query/matcher.js';
import { compileFilter } from '../query/matcher.js';
import { foldFor } from '../query/collation.js';
import { extractKeys, splitPath } from '../query/path.js';
import { SortedList } from './sortedlist.js';
import type { Cursor } from './sortedlist.js';
import { formatValue } from '../bson/format.js';

export interface IndexSpec {
  v?: number;
  key: Doc;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Doc;
  expireAfterSeconds?: number;
  collation?: Doc;
  [k: string]: unknown;
}

export interface IndexField { path: string; parts: string[]; dir: 1 | -1 }
export interface Entry { k: any[]; rid: number }
/** One end of a range on an index field: a value, included or not. */
export interface Bound { v: any; incl: boolean }
/** Key tuples of one document for one index, with their canonical hash strings. */
export interface Keys { t: any[][]; s: string[] }

/** Marker for "the lowest/highest possible key of type bracket `b`" in range bounds. */
export class BracketEdge {
  constructor(readonly b: number, readonly side: -1 | 1) {}
}

export function compareKeyPart(v: any, bound: any): number {
  if (bound instanceof BracketEdge) {
    const b = bracket(v);
    if (b !== bound.b) return b < bound.b ? -1 : 1;
    return bound.side === -1 ? 1 : -1;
  }
  return compareValues(v, bound);
}

function normalizer(collation: Doc | undefined): ((s: string) => string) | undefined {
  if (!collation || collation.locale === 'simple') return undefined;
  const strength = toNumber(collation.strength, 3);
  return strength >= 3 ? undefined : foldFor(strength);
}

/** Validates a key pattern; returns the fields and whether it is a special (text/geo) index. */
export function parseKeyPattern(key: any): { fields: IndexField[]; special: boolean; hashed: boolean } {
  if (!isPlainDoc(key) || Object.keys(key).length === 0) throw new MongoError(67, 'Index keys cannot be an empty field.');
  const fields: IndexField[] = [];
  let special = false, hashed = false;
  for (const path of Object.keys(key)) {
    const v = key[path];
    if (path === '' || path.startsWith('.') || path.endsWith('.') || path.includes('..')) throw new MongoError(67, `Index key contains an illegal field name: ${path}`);
    if (typeof v === 'string') {
      if (v === 'hashed') hashed = true;
      else if (v === 'text' || v === '2d' || v === '2dsphere' || v === 'geoHaystack' || v === 'wildcard') special = true;
      else throw new MongoError(67, `Unknown index plugin '${v}'`);
      fields.push({ path, parts: splitPath(path), dir: 1 });
    } else if (isNumeric(v)) {
      const n = toNumber(v);
      if (n === 0 || Number.isNaN(n)) throw new MongoError(67, `Values in the index key pattern can't be 0 or NaN`);
      fields.push({ path, parts: splitPath(path), dir: n > 0 ? 1 : -1 });
    } else throw new MongoError(67, `Values in v:2 index key pattern cannot be of type ${typeof v}. Only numbers > 0, numbers < 0, and strings are allowed.`);
  }
  return { fields, special, hashed };
}

/**
 * Keys of an updated document for an index none of whose fields it changed. Updates share the
 * unchanged top-level values of the old version, so one identity test per field tells: an update
 * of `stage` leaves the ~30 entries of a multikey `searchTerms` index untouched, uncomputed.
 */
export const UNCHANGED: Keys = Object.freeze({ t: [], s: [] }) as Keys;

export class Index {
  readonly spec: IndexSpec;
  readonly name: string;
  readonly fields: IndexField[];
  /** set once at creation, or by collMod's conversion of a prepared index (setUniqueness) */
  unique: boolean;
  readonly sparse: boolean;
  readonly partial?: Matcher;
  /** text/geo/wildcard: kept in the catalog but not maintained or used for queries. */
  readonly special: boolean;
  readonly norm?: (s: string) => string;
  /** TTL index (one field): documents whose date there is older than this many seconds are deleted. */
  ttlSeconds?: number;
  hash = new Map<string, number | Set<number>>();
  tree: SortedList<Entry>;
  multikey = false;
  /** Per key field: an array was met on its path in some document (MongoDB's multikey paths). */
  multikeyFields: boolean[];

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.name = spec.name;
    const { fields, special } = parseKeyPattern(spec.key);
    this.fields = fields;
    this.multikeyFields = fields.map(() => false);
    this.special = special;
    this.unique = (!!spec.unique || spec.name === '_id_') && !special;
    this.sparse = !!spec.sparse;
    if (spec.partialFilterExpression !== undefined) {
      if (!isPlainDoc(spec.partialFilterExpression)) throw badValue('partialFilterExpression must be an object');
      this.partial = compileFilter(spec.partialFilterExpression);
    }
    this.norm = normalizer(spec.collation as Doc | undefined);
    if (spec.expireAfterSeconds !== undefined && fields.length === 1) this.ttlSeconds = toNumber(spec.expireAfterSeconds);
    const dirs = fields.map((f) => f.dir);
    if (dirs.length === 1) {
      const d = dirs[0];
      this.tree = new SortedList<Entry>((a, b) => (d === 1 ? compareValues(a.k[0], b.k[0]) : compareValues(b.k[0], a.k[0])) || a.rid - b.rid);
    } else {
      this.tree = new SortedList<Entry>((a, b) => {
        for (let i = 0; i < dirs.length; i++) {
          const c = compareValues(a.k[i], b.k[i]);
          if (c !== 0) return dirs[i] === 1 ? c : -c;
        }
        return a.rid - b.rid;
      });
    }
  }

  get isId(): boolean { return this.name === '_id_'; }

  /**
   * collMod's `prepareUnique` (MongoDB 6.0): a write that would add a key the index already holds
   * is refused, while duplicates stored before stay until the index is converted to unique.
   */
  get prepareUnique(): boolean { return this.spec.prepareUnique === true && !this.unique; }

  /** A write adding a key already present is refused: a unique index, or one prepared to become unique. */
  get refusesNewDuplicates(): boolean { return (this.unique || this.prepareUnique) && !this.special; }

  /** collMod of `prepareUnique` or `unique` (the spec lists `prepareUnique` only while it is on). */
  setUniqueness(unique: boolean, prepareUnique: boolean): void {
    this.unique = unique || this.isId;
    if (this.unique) this.spec.unique = true;
    else delete this.spec.unique;
    if (prepareUnique && !this.unique) this.spec.prepareUnique = true;
    else delete this.spec.prepareUnique;
  }

  /**
   * The keys of `keys` that `stored` (the committed version of the same document) does not hold:
   * for a prepared index only those are new, and only new ones may not duplicate others.
   */
  newKeys(keys: Keys, stored: Doc | undefined): Keys {
    if (!stored || !this.prepareUnique) return keys;
    const old = this.keysOf(stored);
    if (!old) return keys;
    const had = new Set(old.s);
    const t: any[][] = [], s: string[] = [];
    keys.s.forEach((k, i) => {
      if (!had.has(k)) { s.push(k); t.push(keys.t[i]); }
    });
    return { t, s };
  }

  /** Groups of record ids sharing a key, in key order: what converting to unique would refuse. */
  duplicateGroups(): number[][] {
    const groups: number[][] = [];
    for (const h of this.hash.values()) if (typeof h !== 'number' && h.size > 1) groups.push([...h]);
    return groups;
  }

  /** collMod of `expireAfterSeconds` (undefined: no longer a TTL index). */
  setExpireAfterSeconds(seconds: number | undefined): void {
    this.spec.expireAfterSeconds = seconds;
    this.ttlSeconds = seconds === undefined || this.fields.length !== 1 ? undefined : toNumber(seconds);
  }

  /**
   * The records a TTL sweep at `now` deletes: those whose indexed date (any of them, for an
   * array) is older than `expireAfterSeconds`. Empty for an index that is not a TTL index.
   */
  expiredRids(now: number): Set<number> {
    const rids = new Set<number>();
    if (this.ttlSeconds === undefined || this.special || this.fields.length !== 1) return rids;
    const [s, e] = this.positions([], undefined, { v: new Date(now - this.ttlSeconds * 1000), incl: false });
    for (const entry of this.tree.range(s, e)) rids.add(entry.rid);
    return rids;
  }

  private cmpPrefix(e: Entry, p: any[]): number {
    for (let i = 0; i < p.length; i++) {
      const c = compareKeyPart(e.k[i], p[i]);
      if (c !== 0) return this.fields[i].dir === 1 ? c : -c;
    }
    return 0;
  }

  /**
   * [start, end) positions of entries whose key starts with `prefix`, optionally bounded on the
   * next field (a one-sided bound stays within the type bracket of its value, as MongoDB's bounds).
   */
  positions(prefix: any[], lo?: Bound, hi?: Bound): [Cursor, Cursor] {
    const tree = this.tree;
    const j = prefix.length;
    if (!lo && !hi) {
      return [tree.lowerBound((e) => this.cmpPrefix(e, prefix) || 0), tree.lowerBound((e) => this.cmpPrefix(e, prefix) || -1)];
    }
    const br = bracket((lo ?? hi)!.v);
    const low: Bound = lo ?? { v: new BracketEdge(br, -1), incl: true };
    const high: Bound = hi ?? { v: new BracketEdge(br, 1), incl: true };
    // In index order a descending field is visited from high to low.
    const [first, last] = this.fields[j].dir === 1 ? [low, high] : [high, low];
    const pFirst = [...prefix, first.v], pLast = [...prefix, last.v];
    const start = tree.lowerBound((e) => this.cmpPrefix(e, pFirst) || (first.incl ? 0 : -1));
    const end = tree.lowerBound((e) => this.cmpPrefix(e, pLast) || (last.incl ? -1 : 0));
    return [start, end];
  }

  /** `next` has the same keys as `prev` here: every key field's top-level value is the same object. */
  keysUnchanged(prev: Doc, next: Doc): boolean {
    if (this.partial || this.special) return false; // a partial filter reads other fields
    for (const f of this.fields) {
      const p = f.parts[0];
      if (prev[p] !== next[p] || Object.prototype.hasOwnProperty.call(prev, p) !== Object.prototype.hasOwnProperty.call(next, p)) return false;
    }
    return true;
  }

  private normalize(v: any): any {
    return this.norm && typeof v === 'string' ? this.norm(v) : v;
  }

  /**
   * Key tuples of `doc` for this index, or null when the document is not indexed (sparse with
   * all fields missing, or not matching the partial filter).
   */
  keysOf(doc: Doc): Keys | null {
    if (this.special) return null;
    if (this.partial && !this.partial(doc)) return null;
    if (this.fields.length === 1) {
      const parts = this.fields[0].parts;
      if (parts.length === 1) {
        // fast path: a top-level scalar
        const p = parts[0];
        const v = Object.prototype.hasOwnProperty.call(doc, p) ? doc[p] : undefined;
        if (v !== undefined && !Array.isArray(v)) {
          const nv = this.normalize(v);
          return { t: [[nv]], s: [keyString(nv)] };
        }
      }
      const r = extractKeys(doc, parts);
      if (this.sparse && !r.found) return null;
      if (r.multikey) { this.multikey = true; this.multikeyFields[0] = true; }
      const t = r.values.map((v) => [this.normalize(v)]);
      return { t, s: t.map((k) => keyString(k[0])) };
    }
    let tuples: any[][] = [[]];
    let anyFound = false;
    let arrayField: string | undefined;
    for (let fi = 0; fi < this.fields.length; fi++) {
      const f = this.fields[fi];
      const r = extractKeys(doc, f.parts);
      anyFound ||= r.found;
      if (r.values.length > 1 || r.multikey) {
        if (arrayField !== undefined && r.values.length > 1) {
          throw new MongoError(171, `cannot index parallel arrays [${f.path}] [${arrayField}]`);
        }
        if (r.values.length > 1) arrayField = f.path;
        this.multikey = true;
        this.multikeyFields[fi] = true;
      }
      const next: any[][] = [];
      for (const t of tuples) for (const v of r.values) next.push([...t, this.normalize(v)]);
      tuples = next;
    }
    if (this.sparse && !anyFound) return null;
    return { t: tuples, s: tuples.map((k) => Index.keyStr(k)) };
  }

  static keyStr(tuple: any[]): string {
    if (tuple.length === 1) return keyString(tuple[0]);
    let s = keyString(tuple[0]);
    for (let i = 1; i < tuple.length; i++) s += '\u0001' + keyString(tuple[i]);
    return s;
  }

  /** Record ids holding exactly this key tuple. */
  lookup(tuple: any[]): Iterable<number> {
    const h = this.hash.get(Index.keyStr(tuple.map((v) => this.normalize(v))));
    if (h === undefined) return [];
    return typeof h === 'number' ? [h] : h;
  }

  lookupCount(tuple: any[]): number {
    const h = this.hash.get(Index.keyStr(tuple.map((v) => this.normalize(v))));
    if (h === undefined) return 0;
    return typeof h === 'number' ? 1 : h.size;
  }

  /** For unique indexes: first rid other than `self` holding one of `keys`. */
  findConflict(keys: Keys, self: number | undefined, ignore?: (rid: number) => boolean): { rid: number; key: any[] } | undefined {
    for (let i = 0; i < keys.s.length; i++) {
      const h = this.hash.get(keys.s[i]);
      if (h === undefined) continue;
      if (typeof h === 'number') {
        if (h !== self && !(ignore && ignore(h))) return { rid: h, key: keys.t[i] };
      } else {
        for (const r of h) if (r !== self && !(ignore && ignore(r))) return { rid: r, key: keys.t[i] };
      }
    }
    return undefined;
  }

  add(rid: number, keys: Keys): void {
    for (let i = 0; i < keys.s.length; i++) {
      const s = keys.s[i];
      const h = this.hash.get(s);
      if (h === undefined) this.hash.set(s, rid);
      else if (typeof h === 'number') { if (h !== rid) this.hash.set(s, new Set([h, rid])); } else h.add(rid);
      this.tree.insert({ k: keys.t[i], rid });
    }
  }

  remove(rid: number, keys: Keys): void {
    for (let i = 0; i < keys.s.length; i++) {
      const k = keys.t[i];
      const s = keys.s[i];
      const h = this.hash.get(s);
      if (h === undefined) continue;
      if (typeof h === 'number') { if (h === rid) this.hash.delete(s); } else {
        h.delete(rid);
        if (h.size === 1) this.hash.set(s, h.values().next().value as number);
        else if (h.size === 0) this.hash.delete(s);
      }
      this.tree.delete({ k, rid });
    }
  }

  clear(): void {
    this.hash.clear();
    this.tree.clear();
    this.multikey = false;
    this.multikeyFields = this.fields.map(() => false);
  }

  /** Bulk build from (rid, doc) pairs; throws 11000 on duplicates for unique indexes. */
  build(records: Iterable<{ rid: number; doc: Doc }>, onDup: (a: number, b: number, key: any[]) => never): void {
    this.clear();
    const entries: Entry[] = [];
    const single = this.fields.length === 1 && this.fields[0].parts.length === 1 && !this.partial && !this.special && !this.norm ? this.fields[0].path : undefined;
    for (const { rid, doc } of records) {
      if (single !== undefined) {
        // fast path for a top-level scalar key: no intermediate key objects
        const v = doc[single];
        if (v !== undefined && !Array.isArray(v) && Object.prototype.hasOwnProperty.call(doc, single)) {
          const s = keyString(v);
          const h = this.hash.get(s);
          if (h === undefined) this.hash.set(s, rid);
          else {
            if (this.unique) {
              const other = typeof h === 'number' ? h : h.values().next().value as number;
              if (other !== rid) onDup(other, rid, [v]);
              continue;
            }
            if (typeof h === 'number') { if (h !== rid) this.hash.set(s, new Set([h, rid])); } else h.add(rid);
          }
          entries.push({ k: [v], rid });
          continue;
        }
      }
      const keys = this.keysOf(doc);
      if (!keys) continue;
      for (let i = 0; i < keys.s.length; i++) {
        const k = keys.t[i];
        const s = keys.s[i];
        const h = this.hash.get(s);
        if (h === undefined) this.hash.set(s, rid);
        else {
          if (this.unique) {
            const other = typeof h === 'number' ? h : h.values().next().value as number;
            if (other !== rid) onDup(other, rid, k);
            continue;
          }
          if (typeof h === 'number') { if (h !== rid) this.hash.set(s, new Set([h, rid])); } else h.add(rid);
        }
        entries.push({ k, rid });
      }
    }
    this.tree.load(entries);
  }

  /** keyValue object for an 11000 error. */
  keyValue(tuple: any[]): Doc {
    const out: Doc = {};
    this.fields.forEach((f, i) => { out[f.path] = tuple[i] === EMPTY_ARRAY_KEY ? undefined : tuple[i]; });
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// E11000 errors, with key values printed as the server prints them.

export function duplicateKeyError(ns: string, index: Index, tuple: any[]): MongoError {
  const keyValue = index.keyValue(tuple);
  const shown = index.fields.map((f, i) => `${f.path}: ${formatValue(tuple[i] === EMPTY_ARRAY_KEY ? undefined : tuple[i])}`).join(', ');
  const keyPattern: Doc = { ...index.spec.key };
  const coll = index.spec.collation ? ` collation: ${formatValue(index.spec.collation)}` : '';
  return new MongoError(11000, `E11000 duplicate key error collection: ${ns} index: ${index.name}${coll} dup key: { ${shown} }`, { keyPattern, keyValue });
}
