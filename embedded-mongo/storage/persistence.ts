/**
 * Durable storage for `dataDir`: an append-only journal plus periodic snapshots.
 *
 * Journal (`journal-<gen>.log`): one record per commit unit (a single write, or a whole
 * transaction), framed as [u32 length][u32 CRC-32 of body][body], the body being the commit's
 * operations as concatenated BSON documents. Records are written with one write() per command
 * before the reply is sent, and fdatasync'd every `syncIntervalMs` (0 = on every flush). On open,
 * records are replayed in order; a torn or corrupt tail (crash mid-write) is cut off.
 *
 * Snapshot (`snapshot.bson`): the full state, same framing, written to a temp file, fsync'd and
 * renamed over the old one, so a crash leaves either the old or the new snapshot. A snapshot of
 * generation G is followed by journals G, G+1, ...: compaction first switches writes to a new
 * journal, then writes the snapshot of the state at the switch (documents are immutable, so the
 * captured references stay consistent), and only then deletes older journals.
 */
import fs from 'node:fs';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { Doc } from '../bson/codec.js';
import { UUID, deserialize, serialize } from '../bson/codec.js';
import { keyString } from '../bson/order.js';
import { Collection } from './collection.js';
import type { IndexSpec } from './indexes.js';
import { Index } from './indexes.js';
import type { ChangeOp, CommitInfo, Store } from './store.js';

const SNAPSHOT = 'snapshot.bson';
const SNAPSHOT_TMP = 'snapshot.bson.tmp';
const LOCK = 'LOCK';
const journalName = (gen: number) => `journal-${String(gen).padStart(8, '0')}.log`;
const JOURNAL_RE = /^journal-(\d+)\.log$/;
const DOCS_PER_SNAPSHOT_RECORD = 2000;
const MIN_COMPACT_BYTES = 32 * 1024 * 1024;

export interface PersistenceOptions { syncIntervalMs: number }

function frame(parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  const head = Buffer.allocUnsafe(8);
  head.writeUInt32LE(body.length, 0);
  head.writeUInt32LE(crc32(body) >>> 0, 4);
  return Buffer.concat([head, body]);
}

/** Valid records of a file; `end` is the offset just after the last valid one. */
function readRecords(buf: Buffer): { bodies: Buffer[]; end: number } {
  const bodies: Buffer[] = [];
  let off = 0;
  while (off + 8 <= buf.length) {
    const len = buf.readUInt32LE(off);
    const crc = buf.readUInt32LE(off + 4);
    if (off + 8 + len > buf.length) break;
    const body = buf.subarray(off + 8, off + 8 + len);
    if ((crc32(body) >>> 0) !== crc) break;
    bodies.push(body);
    off += 8 + len;
  }
  return { bodies, end: off };
}

function* bsonDocs(body: Buffer): Generator<Doc> {
  let off = 0;
  while (off + 5 <= body.length) {
    const size = body.readInt32LE(off);
    if (size < 5 || off + size > body.length) throw new Error('corrupt record');
    yield deserialize(body.subarray(off, off + size));
    off += size;
  }
}

function opDoc(op: ChangeOp): Doc {
  switch (op.op) {
    case 'i': return { o: 'i', d: op.db, c: op.c, doc: op.doc };
    case 'u': return { o: 'u', d: op.db, c: op.c, doc: op.doc };
    case 'd': return { o: 'd', d: op.db, c: op.c, id: op.id };
    case 'cc': return { o: 'cc', d: op.db, c: op.c, options: op.options, uuid: op.uuid };
    case 'dc': return { o: 'dc', d: op.db, c: op.c };
    case 'ci': return { o: 'ci', d: op.db, c: op.c, spec: op.spec };
    case 'di': return { o: 'di', d: op.db, c: op.c, name: op.name };
    case 'dd': return { o: 'dd', d: op.db };
    case 'rc': return { o: 'rc', d: op.db, c: op.c, toDb: op.toDb, toC: op.toC };
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Replays operations onto collections without index maintenance; indexes are bulk-built after. */
class Loader {
  private ids = new Map<Collection, Map<string, number>>();
  constructor(private store: Store) {}

  private coll(db: string, c: string): Collection {
    let coll = this.store.getCollection(db, c);
    if (!coll) this.store.attach((coll = new Collection(db, c)));
    return coll;
  }

  /** _id -> rid for replaying journal ops; built on first use (snapshot loads never need it). */
  private idMap(coll: Collection): Map<string, number> {
    let m = this.ids.get(coll);
    if (!m) {
      m = new Map();
      for (const [rid, rec] of coll.records) m.set(keyString(rec.doc._id), rid);
      this.ids.set(coll, m);
    }
    return m;
  }

  /** Snapshot documents: unique by construction, no _id bookkeeping needed. */
  insertFresh(db: string, c: string, doc: Doc): void {
    const coll = this.coll(db, c);
    const rid = coll.nextRid++;
    coll.records.set(rid, { rid, doc, ts: 0 });
    this.ids.delete(coll);
  }

  createColl(db: string, c: string, options: Doc, uuid?: string, indexes?: IndexSpec[]): void {
    const existing = this.store.getCollection(db, c);
    if (existing) {
      existing.options = options ?? {};
      return;
    }
    const coll = new Collection(db, c, options ?? {}, uuid && /^[0-9a-f]{32}$/i.test(uuid) ? new UUID(uuid) : undefined, indexes?.[0]);
    if (indexes) coll.indexes = [...coll.indexes, ...indexes.slice(1).map((spec) => new Index(spec))];
    this.store.attach(coll);
  }

  insert(db: string, c: string, doc: Doc): void {
    const coll = this.coll(db, c);
    const ids = this.idMap(coll);
    const k = keyString(doc._id);
    const existing = ids.get(k);
    if (existing !== undefined) { coll.records.get(existing)!.doc = doc; return; }
    const rid = coll.nextRid++;
    coll.records.set(rid, { rid, doc, ts: 0 });
    ids.set(k, rid);
  }

  update(db: string, c: string, doc: Doc): void {
    this.insert(db, c, doc);
  }

  remove(db: string, c: string, id: unknown): void {
    const coll = this.store.getCollection(db, c);
    if (!coll) return;
    const ids = this.idMap(coll);
    const k = keyString(id);
    const rid = ids.get(k);
    if (rid === undefined) return;
    coll.records.delete(rid);
    ids.delete(k);
  }

  apply(o: Doc): void {
    switch (o.o) {
      case 'i': this.insert(o.d, o.c, o.doc); break;
      case 'u': this.update(o.d, o.c, o.doc); break;
      case 'd': this.remove(o.d, o.c, o.id); break;
      case 'cc': this.createColl(o.d, o.c, o.options, o.uuid); break;
      case 'dc': {
        const coll = this.store.detach(o.d, o.c);
        if (coll) this.ids.delete(coll);
        break;
      }
      case 'dd': {
        for (const coll of this.store.dbs.get(o.d)?.values() ?? []) this.ids.delete(coll);
        this.store.dbs.delete(o.d);
        break;
      }
      case 'ci': {
        // a later spec for the same name (collMod of a TTL) replaces the earlier one
        const coll = this.coll(o.d, o.c);
        const i = coll.indexes.findIndex((x) => x.name === o.spec.name);
        coll.indexes = i >= 0 ? coll.indexes.map((x, k) => (k === i ? new Index(o.spec) : x)) : [...coll.indexes, new Index(o.spec)];
        break;
      }
      case 'di': {
        const coll = this.store.getCollection(o.d, o.c);
        if (coll) coll.indexes = coll.indexes.filter((i) => i.name !== o.name);
        break;
      }
      case 'rc': {
        const coll = this.store.detach(o.d, o.c);
        if (!coll) break;
        coll.db = o.toDb;
        coll.name = o.toC;
        this.store.attach(coll);
        break;
      }
    }
  }

  /** Builds every index in bulk (sorting once), tolerating duplicates rather than refusing to open. */
  finish(): void {
    for (const m of this.store.dbs.values()) {
      for (const coll of m.values()) {
        for (const ix of coll.indexes) {
          ix.build(coll.records.values(), (() => undefined) as unknown as (a: number, b: number, k: any[]) => never);
        }
      }
    }
  }
}

export class Persistence {
  private fd = -1;
  private gen = 1;
  private pending: Buffer[] = [];
  private journalBytes = 0;
  private snapshotBytes = 0;
  private syncTimer?: NodeJS.Timeout;
  private compacting?: Promise<void>;
  private closed = false;

  private constructor(private dir: string, private store: Store, private opts: PersistenceOptions) {}

  static async open(dir: string, store: Store, opts: PersistenceOptions): Promise<Persistence> {
    fs.mkdirSync(dir, { recursive: true });
    const p = new Persistence(dir, store, opts);
    p.lock();
    try {
      p.load();
    } catch (e) {
      p.unlock();
      throw e;
    }
    return p;
  }

  private lock(): void {
    const file = path.join(this.dir, LOCK);
    try {
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (pid && pid !== process.pid && pidAlive(pid)) {
        throw new Error(`embedded-mongo: data directory ${this.dir} is in use by process ${pid}`);
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    fs.writeFileSync(file, String(process.pid));
  }

  private unlock(): void {
    try {
      fs.unlinkSync(path.join(this.dir, LOCK));
    } catch {
      /* already gone */
    }
  }

  private journals(): number[] {
    return fs.readdirSync(this.dir).map((f) => JOURNAL_RE.exec(f)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1])).sort((a, b) => a - b);
  }

  private load(): void {
    const loader = new Loader(this.store);
    let startGen: number | undefined;
    const snapFile = path.join(this.dir, SNAPSHOT);
    try { fs.unlinkSync(path.join(this.dir, SNAPSHOT_TMP)); } catch { /* none */ }
    if (fs.existsSync(snapFile)) {
      const buf = fs.readFileSync(snapFile);
      this.snapshotBytes = buf.length;
      const { bodies, end } = readRecords(buf);
      let complete = false;
      // Each record starts with a control document; 'd' records then carry the data documents.
      for (const body of bodies) {
        const gen = bsonDocs(body);
        const ctl = gen.next().value as Doc | undefined;
        if (!ctl) continue;
        if (ctl.t === 'h') startGen = ctl.gen;
        else if (ctl.t === 'c') loader.createColl(ctl.db, ctl.c, ctl.options, ctl.uuid, ctl.indexes);
        else if (ctl.t === 'e') complete = true;
        else if (ctl.t === 'd') for (const d of gen) loader.insertFresh(ctl.db, ctl.c, d);
      }
      if (!complete || end !== buf.length) throw new Error(`embedded-mongo: snapshot ${snapFile} is incomplete or corrupt`);
    }
    const gens = this.journals();
    if (startGen === undefined) startGen = gens.length ? gens[0] : 1;
    let lastGen = startGen;
    for (const g of gens) {
      if (g < startGen) { fs.unlinkSync(path.join(this.dir, journalName(g))); continue; }
      lastGen = g;
      const file = path.join(this.dir, journalName(g));
      const buf = fs.readFileSync(file);
      const { bodies, end } = readRecords(buf);
      for (const body of bodies) {
        let ops: Doc[];
        try { ops = [...bsonDocs(body)]; } catch { break; }
        for (const o of ops) loader.apply(o);
      }
      if (end !== buf.length) fs.truncateSync(file, end); // torn tail from a crash
      if (g === gens[gens.length - 1]) this.journalBytes = end;
    }
    loader.finish();
    this.gen = lastGen;
    this.fd = fs.openSync(path.join(this.dir, journalName(this.gen)), 'a');
  }

  append(ops: ChangeOp[], _info: CommitInfo): void {
    if (this.closed) return;
    const parts: Buffer[] = [];
    for (const op of ops) parts.push(serialize(opDoc(op)));
    const rec = frame(parts);
    this.pending.push(rec);
  }

  /** Writes pending records to the journal (one syscall). */
  flush(): void {
    if (this.pending.length === 0 || this.fd < 0) return;
    const buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
    this.pending = [];
    let off = 0;
    while (off < buf.length) off += fs.writeSync(this.fd, buf, off);
    this.journalBytes += buf.length;
    if (this.opts.syncIntervalMs <= 0) fs.fdatasyncSync(this.fd);
    else if (!this.syncTimer) {
      this.syncTimer = setTimeout(() => {
        this.syncTimer = undefined;
        if (this.fd >= 0) fs.fdatasync(this.fd, () => undefined);
      }, this.opts.syncIntervalMs);
      this.syncTimer.unref();
    }
  }

  maybeCompact(): void {
    if (this.compacting || this.closed) return;
    if (this.journalBytes < Math.max(MIN_COMPACT_BYTES, this.snapshotBytes)) return;
    // A failed compaction (disk full...) leaves the journal in place: retry later, never crash.
    this.compacting = this.compact(false)
      .catch((e) => { process.stderr.write(`[embedded-mongo] snapshot failed: ${(e as Error).message}\n`); })
      .finally(() => { this.compacting = undefined; });
  }

  /** Switches to a new journal generation and writes a snapshot of the state at the switch. */
  async compact(sync: boolean): Promise<void> {
    this.flush();
    const newGen = this.gen + 1;
    const oldFd = this.fd;
    fs.fdatasyncSync(oldFd);
    this.fd = fs.openSync(path.join(this.dir, journalName(newGen)), 'a');
    fs.closeSync(oldFd);
    this.gen = newGen;
    this.journalBytes = 0;
    // Capture the state (document references are immutable).
    const colls = [];
    for (const [db, m] of this.store.dbs) {
      for (const [name, coll] of m) {
        colls.push({ db, name, options: coll.options, uuid: coll.uuid.toHexString(), indexes: coll.indexSpecs(), docs: [...coll.records.values()].map((r) => r.doc) });
      }
    }
    const tmp = path.join(this.dir, SNAPSHOT_TMP);
    const fd = fs.openSync(tmp, 'w');
    let bytes = 0;
    const write = (b: Buffer) => {
      let off = 0;
      while (off < b.length) off += fs.writeSync(fd, b, off);
      bytes += b.length;
    };
    try {
      write(frame([serialize({ t: 'h', gen: newGen, format: 'embedded-mongo', version: 1 })]));
      for (const c of colls) {
        write(frame([serialize({ t: 'c', db: c.db, c: c.name, options: c.options, uuid: c.uuid, indexes: c.indexes })]));
        for (let i = 0; i < c.docs.length; i += DOCS_PER_SNAPSHOT_RECORD) {
          const parts = [serialize({ t: 'd', db: c.db, c: c.name })];
          for (const d of c.docs.slice(i, i + DOCS_PER_SNAPSHOT_RECORD)) parts.push(serialize(d));
          write(frame(parts));
          if (!sync) await new Promise((r) => setImmediate(r));
        }
      }
      write(frame([serialize({ t: 'e' })]));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, path.join(this.dir, SNAPSHOT));
    try {
      const dfd = fs.openSync(this.dir, 'r');
      fs.fsyncSync(dfd);
      fs.closeSync(dfd);
    } catch {
      /* directory fsync unsupported on this platform */
    }
    this.snapshotBytes = bytes;
    for (const g of this.journals()) if (g < newGen) fs.unlinkSync(path.join(this.dir, journalName(g)));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.syncTimer) clearTimeout(this.syncTimer);
    this.syncTimer = undefined;
    if (this.compacting) await this.compacting.catch(() => undefined);
    this.flush();
    // Leave a snapshot behind when the journal is large, so the next open is fast.
    if (this.journalBytes > 4 * 1024 * 1024) await this.compact(true);
    this.closed = true;
    if (this.fd >= 0) {
      fs.fdatasyncSync(this.fd);
      fs.closeSync(this.fd);
      this.fd = -1;
    }
    this.unlock();
  }
}

