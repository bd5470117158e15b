/**
 * One collection: records (rid -> immutable document), its indexes, and the MVCC history that
 * open transactions need to read their snapshot.
 *
 * Documents are never mutated once stored: updates build a new object (sharing unchanged
 * sub-trees), so cursors, change events and transaction snapshots can hold references freely.
 */
import type { Doc } from '../bson/codec.js';
import { BSON, UUID } from '../bson/codec.js';
import { keyString } from '../bson/order.js';
import { MongoError } from '../errors.js';
import type { IndexSpec, Keys } from './indexes.js';
import { Index, UNCHANGED, duplicateKeyError } from './indexes.js';

export interface Rec { rid: number; doc: Doc; ts: number }

/** An older version of a record, valid until (exclusive) commit timestamp `until`. */
export interface Version { doc: Doc | null; until: number }

export class Collection {
  records = new Map<number, Rec>();
  /** Count of record mutations (capped-size bookkeeping knows when its running total is stale). */
  mutations = 0;
  cappedBytes?: { mutations: number; bytes: number };
  indexes: Index[] = [];
  nextRid = 1;
  uuid: BSON.UUID;
  /** rid -> versions superseded while transactions were open (ascending `until`). */
  history = new Map<number, Version[]>();
  /** (rid, until) of every version in `history`, in commit order: what changed after a snapshot. */
  historyLog: { rid: number; until: number }[] = [];
  /** idKey -> commit ts of its deletion, kept while transactions are open (insert conflicts). */
  recentDeletes = new Map<string, number>();
  /** idKey -> transaction holding a write lock on that document. */
  locks = new Map<string, unknown>();
  /** `${indexName}\u0002${keyStr}` -> transaction that has an uncommitted document with that unique key. */
  pendingKeys = new Map<string, unknown>();

  constructor(public db: string, public name: string, public options: Doc = {}, uuid?: BSON.UUID, idIndexSpec?: IndexSpec) {
    this.uuid = uuid ?? new UUID();
    this.indexes.push(new Index(idIndexSpec ?? { v: 2, key: { _id: 1 }, name: '_id_' }));
  }

  get ns(): string { return `${this.db}.${this.name}`; }
  get idIndex(): Index { return this.indexes[0]; }
  get size(): number { return this.records.size; }

  getIndex(name: string): Index | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  private eqCache?: { indexes: Index[]; map: Map<string, Index | null> };

  /**
   * A single-field index on `path` whose hash answers an equality exactly as the planner would
   * (not partial, not special, no collation). Cached until the index list changes.
   */
  eqIndex(path: string): Index | undefined {
    if (!this.eqCache || this.eqCache.indexes !== this.indexes) this.eqCache = { indexes: this.indexes, map: new Map() };
    let ix = this.eqCache.map.get(path);
    if (ix === undefined) {
      ix = this.indexes.find((i) => i.fields.length === 1 && i.fields[0].path === path && !i.partial && !i.special && !i.norm) ?? null;
      this.eqCache.map.set(path, ix);
    }
    return ix ?? undefined;
  }

  /** Record holding `_id`, through the _id index hash. */
  getById(id: unknown): Rec | undefined {
    return this.getByKey(keyString(id));
  }

  /** Record holding the _id whose canonical key string is `idKey`. */
  getByKey(idKey: string): Rec | undefined {
    const rid = this.ridByKey(idKey);
    return rid === undefined ? undefined : this.records.get(rid);
  }

  /** Record id holding the _id whose canonical key string is `idKey`. */
  ridByKey(idKey: string): number | undefined {
    const h = this.idIndex.hash.get(idKey);
    if (h === undefined) return undefined;
    return typeof h === 'number' ? h : h.values().next().value as number;
  }

  ridById(id: unknown): number | undefined {
    return this.ridByKey(keyString(id));
  }

  /**
   * Computes index keys for `doc` and checks unique constraints; throws E11000. With `old` (the
   * stored version `doc` replaces), indexes whose fields `doc` shares with it get UNCHANGED.
   */
  prepare(doc: Doc, selfRid: number | undefined, ignore?: (rid: number) => boolean, old?: Doc): (Keys | null)[] {
    const keys: (Keys | null)[] = new Array(this.indexes.length);
    for (let i = 0; i < this.indexes.length; i++) {
      const ix = this.indexes[i];
      if (old && ix.keysUnchanged(old, doc)) { keys[i] = UNCHANGED; continue; }
      const k = ix.keysOf(doc);
      keys[i] = k;
      if (k && ix.refusesNewDuplicates) {
        const c = ix.findConflict(ix.newKeys(k, selfRid === undefined ? undefined : this.records.get(selfRid)?.doc), selfRid, ignore);
        if (c) throw duplicateKeyError(this.ns, ix, c.key);
      }
    }
    return keys;
  }

  // Low-level mutations; callers have run prepare() and handle history/journal/events.

  insertRec(doc: Doc, keys: (Keys | null)[], ts: number, rid?: number): Rec {
    const r = rid ?? this.nextRid++;
    if (r >= this.nextRid) this.nextRid = r + 1;
    const rec: Rec = { rid: r, doc, ts };
    this.records.set(r, rec);
    this.mutations++;
    for (let i = 0; i < this.indexes.length; i++) {
      const k = keys[i];
      if (k) this.indexes[i].add(r, k);
    }
    return rec;
  }

  replaceRec(rec: Rec, doc: Doc, newKeys: (Keys | null)[], ts: number): void {
    const old = rec.doc;
    for (let i = 0; i < this.indexes.length; i++) {
      const ix = this.indexes[i];
      const nk = newKeys[i];
      if (ix.special || nk === UNCHANGED) continue;
      const oldKeys = ix.keysOf(old);
      if (sameKeys(oldKeys, nk)) continue;
      if (oldKeys) ix.remove(rec.rid, oldKeys);
      if (nk) ix.add(rec.rid, nk);
    }
    rec.doc = doc;
    rec.ts = ts;
    this.mutations++;
  }

  deleteRec(rec: Rec): void {
    for (const ix of this.indexes) {
      if (ix.special) continue;
      const k = ix.keysOf(rec.doc);
      if (k) ix.remove(rec.rid, k);
    }
    this.records.delete(rec.rid);
    this.mutations++;
  }

  addIndex(spec: IndexSpec): Index {
    const ix = new Index(spec);
    ix.build(this.records.values(), (_a, _b, key) => {
      throw duplicateKeyError(this.ns, ix, key);
    });
    this.indexes = [...this.indexes, ix];
    return ix;
  }

  /** Document visible at snapshot `ts` for record `rid` (null if absent then). */
  versionAt(rid: number, ts: number): Doc | null {
    const h = this.history.get(rid);
    if (h) for (const v of h) if (v.until > ts) return v.doc;
    return this.records.get(rid)?.doc ?? null;
  }

  pushHistory(rid: number, doc: Doc | null, until: number): void {
    let h = this.history.get(rid);
    if (!h) this.history.set(rid, (h = []));
    h.push({ doc, until });
    this.historyLog.push({ rid, until });
  }

  /** Whether anything was committed to this collection after snapshot `ts` (while it was open). */
  changedAfter(ts: number): boolean {
    const log = this.historyLog;
    return log.length > 0 && log[log.length - 1].until > ts;
  }

  /** Records written after snapshot `ts`: their snapshot version is in `history`. */
  changedRidsAfter(ts: number): Set<number> {
    const log = this.historyLog;
    const out = new Set<number>();
    for (let i = log.length - 1; i >= 0 && log[i].until > ts; i--) out.add(log[i].rid);
    return out;
  }

  pruneHistory(minSnapshot: number): void {
    if (minSnapshot === Infinity) { this.history.clear(); this.historyLog = []; this.recentDeletes.clear(); return; }
    for (const [k, ts] of this.recentDeletes) if (ts <= minSnapshot) this.recentDeletes.delete(k);
    // only the records with a version that ended at or before minSnapshot have anything to drop
    const log = this.historyLog;
    let cut = 0;
    while (cut < log.length && log[cut].until <= minSnapshot) cut++;
    if (cut === 0) return;
    for (let i = 0; i < cut; i++) {
      const h = this.history.get(log[i].rid);
      if (!h) continue;
      let k = 0;
      while (k < h.length && h[k].until <= minSnapshot) k++;
      if (k === h.length) this.history.delete(log[i].rid);
      else if (k > 0) h.splice(0, k);
    }
    this.historyLog = log.slice(cut);
  }

  indexSpecs(): IndexSpec[] {
    return this.indexes.map((i) => i.spec);
  }
}

function sameKeys(a: Keys | null, b: Keys | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.s.length !== b.s.length) return false;
  for (let i = 0; i < a.s.length; i++) if (a.s[i] !== b.s[i]) return false;
  return true;
}

export function assertValidCollName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) throw new MongoError(73, `Invalid collection name: ${String(name)}`);
  if (name.includes('$') || name.includes('\0') || name.startsWith('.') || name.endsWith('.')) {
    throw new MongoError(73, `Invalid collection name: ${name}`);
  }
}

export function assertValidDbName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.length === 0 || /[/\\. "$\0]/.test(name) || name.length > 63) {
    throw new MongoError(73, `Invalid database name: '${String(name)}'`);
  }
}
