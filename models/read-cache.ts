import type { ChangeStream, ChangeStreamDocument } from 'mongodb';
import type { ClientSession, Connection, Schema } from 'mongoose';
import type { Logger } from '../lib/logger.js';

/**
 * Read caches that are never knowingly stale.
 *
 * Every authenticated request resolves its token, and reading one agreement is the commonest
 * request of all; a database round trip costs the service more CPU than the rest of such a
 * request (see issue 3's closing note). These caches keep recent answers in memory and drop them
 * the moment the data changes:
 * - changes made through this process's models drop the entry when the write is acknowledged,
 *   and again when the transaction that made it commits (so a reader racing an uncommitted
 *   write cannot leave the old value behind);
 * - changes made anywhere else (another instance, the mongo shell) arrive through change
 *   streams, typically within milliseconds;
 * - a load that overlapped a change of its key is answered but not kept;
 * - while any change stream is not running (standalone MongoDB has none, a network fault),
 *   nothing is cached and every read goes to the database.
 */

type ChangeKind = 'insert' | 'change';

const BATCH_PAUSE_MS = 20;
const START_WAIT_MS = 5_000;
type Listener = (kind: ChangeKind, id: string | undefined) => void;

const trackers = new WeakMap<Connection, ChangeTracker>();
/** what a transaction wrote, per collection: document ids, undefined for "any", INSERTED for a new document */
const INSERTED = Symbol('inserted');
type Written = string | undefined | typeof INSERTED;
const sessionChanges = new WeakMap<ClientSession, Map<string, Set<Written>>>();

export class ChangeTracker {
  private seq = 0;
  private lastInsert = new Map<string, number>();
  private lastChange = new Map<string, number>();
  /** every key of the collection changed at this seq (a change without a known id, a lost stream) */
  private floor = new Map<string, number>();
  private keyChanges = new Map<string, Map<string, number>>();
  private listeners = new Map<string, Listener[]>();
  private streams: ChangeStream[] = [];
  private running = false;
  private closed = false;
  private restartTimer: NodeJS.Timeout | undefined;
  private failures = 0;

  constructor(
    private readonly connection: Connection,
    private readonly collections: readonly string[],
    private readonly logger?: Logger,
    /** collections whose new documents matter to a cache (the others' inserts are not streamed) */
    private readonly insertsMatter: ReadonlySet<string> = new Set(collections),
  ) {
    trackers.set(connection, this);
  }

  /** True while every change stream runs: only then may anything be cached. */
  get live(): boolean {
    return this.running && !this.closed;
  }

  snapshot(): number {
    return this.seq;
  }

  onChange(collection: string, listener: Listener): void {
    const list = this.listeners.get(collection) ?? [];
    list.push(listener);
    this.listeners.set(collection, list);
  }

  /** No change to the key (or to the whole collection) since the snapshot. */
  keyUnchangedSince(collection: string, id: string, snapshot: number): boolean {
    if ((this.floor.get(collection) ?? 0) > snapshot) return false;
    return (this.keyChanges.get(collection)?.get(id) ?? 0) <= snapshot;
  }

  /** No change (and, when asked, no insert) in the collection since the snapshot. */
  collectionUnchangedSince(collection: string, snapshot: number, inserts: boolean): boolean {
    if ((this.lastChange.get(collection) ?? 0) > snapshot) return false;
    return !inserts || (this.lastInsert.get(collection) ?? 0) <= snapshot;
  }

  /** A document changed or was deleted; `id` undefined: any of them may have. */
  changed(collection: string, id: string | undefined): void {
    const seq = ++this.seq;
    this.lastChange.set(collection, seq);
    if (id === undefined) {
      this.floor.set(collection, seq);
      this.keyChanges.delete(collection);
    } else {
      let keys = this.keyChanges.get(collection);
      if (!keys) this.keyChanges.set(collection, (keys = new Map()));
      keys.set(id, seq);
      // The per-key marks only need to outlive the loads in flight; past this size a floor says the same.
      if (keys.size > 50_000) {
        this.floor.set(collection, seq);
        this.keyChanges.delete(collection);
      }
    }
    for (const l of this.listeners.get(collection) ?? []) l('change', id);
  }

  inserted(collection: string): void {
    this.lastInsert.set(collection, ++this.seq);
    for (const l of this.listeners.get(collection) ?? []) l('insert', undefined);
  }

  private changedEverywhere(): void {
    for (const c of this.collections) this.changed(c, undefined);
  }

  /** Opens the change streams; caching starts once all of them run. Never throws. */
  async start(): Promise<void> {
    if (this.closed || this.running) return;
    const db = this.connection.db;
    if (!db) return;
    // Only what invalidation needs crosses the wire: which operation, on which document.
    const pipeline = (name: string) => [
      ...(this.insertsMatter.has(name) ? [] : [{ $match: { operationType: { $ne: 'insert' } } }]),
      { $project: { operationType: 1, documentKey: 1 } },
    ];
    const streams = this.collections.map((name) => db.collection(name).watch(pipeline(name), { maxAwaitTimeMS: 1000 }));
    this.streams = streams;
    let failed!: (err: unknown) => void;
    const failure = new Promise<void>((_, reject) => (failed = reject));
    // A stream is open once the server answered the aggregate that opens it: the driver then sets
    // its first resume token (or the first tryNext returns, which also waits out a getMore).
    const openers: Array<() => void> = [];
    const opened = Promise.all(streams.map((s, i) => new Promise<void>((resolve) => {
      openers[i] = resolve;
      s.once('resumeTokenChanged', () => resolve());
    })));
    streams.forEach((s, i) => void this.consume(this.collections[i], s, failed, openers[i]));
    const running = Promise.race([opened, failure]).then(
      () => {
        if (this.closed || this.streams !== streams) return;
        this.failures = 0;
        // Whatever changed while no stream ran is unknown: start from nothing.
        this.changedEverywhere();
        this.running = true;
      },
      () => {}, // consume() has reported it
    );
    // Start-up waits a little for the streams (so caching starts with the service), never for
    // long: a server slow to open them only means reads go to the database until it does.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise<void>((resolve) => (timer = setTimeout(resolve, START_WAIT_MS)))]);
    clearTimeout(timer);
  }

  private async consume(name: string, stream: ChangeStream, failed: (err: unknown) => void, opened: () => void): Promise<void> {
    try {
      while (!this.closed && !stream.closed) {
        const event = await stream.tryNext();
        opened();
        if (!event) continue;
        this.apply(name, event);
        // Under a stream of writes, each getMore would carry one event; a short pause lets them
        // come in batches (other instances' changes arrive up to BATCH_PAUSE_MS later for it).
        if (stream.bufferedCount() === 0) await new Promise((r) => setTimeout(r, BATCH_PAUSE_MS));
      }
      if (!this.closed && this.streams.includes(stream)) throw new Error(`change stream on ${name} closed`);
    } catch (err) {
      if (!this.closed && this.streams.includes(stream)) {
        failed(err);
        this.fail(err);
      }
    }
  }

  private apply(collection: string, event: ChangeStreamDocument): void {
    switch (event.operationType) {
      case 'insert':
        this.inserted(collection);
        break;
      case 'update':
      case 'replace':
      case 'delete':
        this.changed(collection, idText(event.documentKey?._id));
        break;
      default:
        // drop, rename, dropDatabase, invalidate: the stream ends after these; start afresh.
        throw new Error(`change stream on ${collection} ended (${event.operationType})`);
    }
  }

  private fail(err: unknown): void {
    const wasRunning = this.running;
    this.running = false;
    this.changedEverywhere();
    const streams = this.streams;
    this.streams = [];
    for (const s of streams) void s.close().catch(() => {});
    if (this.closed) return;
    this.failures++;
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.failures, 6));
    if (wasRunning || this.failures === 1) {
      this.logger?.warn('read cache off: change streams unavailable, every read goes to the database', { error: String((err as Error)?.message ?? err), retryInMs: delay });
    }
    clearTimeout(this.restartTimer);
    this.restartTimer = setTimeout(() => void this.start(), delay);
    this.restartTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.running = false;
    clearTimeout(this.restartTimer);
    const streams = this.streams;
    this.streams = [];
    await Promise.all(streams.map((s) => s.close().catch(() => {})));
  }

  /** Re-announces what a committed transaction changed: see the class comment. */
  afterCommit(session: ClientSession): void {
    const changes = sessionChanges.get(session);
    if (!changes) return;
    sessionChanges.delete(session);
    for (const [collection, ids] of changes) {
      for (const id of ids) {
        if (id === INSERTED) this.inserted(collection);
        else this.changed(collection, id);
      }
    }
  }
}

/** The tracker of a connection, if one was started for it. */
function changeTrackerOf(connection: Connection | undefined): ChangeTracker | undefined {
  return connection ? trackers.get(connection) : undefined;
}

function idText(id: unknown): string | undefined {
  if (id === undefined || id === null) return undefined;
  const hex = (id as { toHexString?: () => string }).toHexString?.();
  return hex ?? (typeof id === 'string' ? id : undefined);
}

function noteInSession(session: ClientSession | null | undefined, collection: string, id: Written): void {
  if (!session || !session.inTransaction()) return;
  let changes = sessionChanges.get(session);
  if (!changes) sessionChanges.set(session, (changes = new Map()));
  let ids = changes.get(collection);
  if (!ids) changes.set(collection, (ids = new Set()));
  ids.add(id);
}

const QUERY_WRITES = ['updateOne', 'updateMany', 'replaceOne', 'deleteOne', 'deleteMany', 'findOneAndUpdate', 'findOneAndReplace', 'findOneAndDelete'] as const;

/**
 * Announces this process's writes through a schema's models at once (the change stream confirms
 * them later). Writes that bypass mongoose (Model.collection) are seen through the stream only.
 */
export function trackSchemaChanges(schema: Schema): void {
  (schema as any).post([...QUERY_WRITES], function (this: any, result: any) {
    const tracker = changeTrackerOf(this.model?.db);
    if (!tracker) return;
    const collection: string = this.model.collection.collectionName;
    const many = this.op === 'updateMany' || this.op === 'deleteMany';
    const resultId = result && typeof result === 'object' && '_id' in result ? idText(result._id) : undefined;
    const id = many ? undefined : (idText(this.getFilter?.()?._id) ?? resultId);
    const upserted = result && typeof result === 'object' && (result.upsertedCount > 0 || result.lastErrorObject?.upserted);
    tracker.changed(collection, id);
    if (upserted) tracker.inserted(collection);
    noteInSession(this.getOptions?.().session, collection, id);
  });
  // A new document only matters to caches that watch inserts (a login's token leaves cached sessions alone).
  schema.pre('save', function (this: any) {
    this.$locals.wasNew = this.isNew;
  });
  schema.post('save', function (this: any) {
    const tracker = changeTrackerOf(this.db);
    if (!tracker) return;
    const collection: string = this.collection.collectionName;
    const id = idText(this._id);
    if (this.$locals.wasNew) tracker.inserted(collection);
    else tracker.changed(collection, id);
    noteInSession(this.$session?.(), collection, this.$locals.wasNew ? INSERTED : id);
  });
  schema.post('insertMany', function (this: any) {
    changeTrackerOf(this.db)?.inserted(this.collection.collectionName);
  });
  schema.post('bulkWrite', function (this: any) {
    changeTrackerOf(this.db)?.changed(this.collection.collectionName, undefined);
  });
}

/** Deep-freezes plain objects and arrays (class instances such as ObjectId and Date are left as they are). */
function freezePlain<T>(value: T): T {
  if (Array.isArray(value)) {
    for (const v of value) freezePlain(v);
    return Object.freeze(value);
  }
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) freezePlain(v);
    return Object.freeze(value);
  }
  return value;
}

/** Adds a frozen entry, dropping the oldest past `capacity` (insertion order: a hit re-inserts). */
function remember<V>(entries: Map<string, V>, key: string, value: V, capacity: number): void {
  entries.set(key, freezePlain(value));
  if (entries.size > capacity) entries.delete(entries.keys().next().value!);
}

/**
 * Documents of one collection by id, least recently used dropped first. Values are frozen: a
 * caller that wants to change one copies it.
 */
export class DocumentCache<V extends object> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly tracker: ChangeTracker,
    private readonly collection: string,
    private readonly capacity: number,
  ) {
    tracker.onChange(collection, (kind, id) => {
      if (kind === 'insert') return;
      if (id === undefined) this.entries.clear();
      else this.entries.delete(id);
    });
  }

  get size(): number {
    return this.entries.size;
  }

  /** False while nothing may be cached: callers then read everything from the database. */
  get usable(): boolean {
    return this.capacity > 0 && this.tracker.live;
  }

  async get(id: string, load: () => Promise<V | null>): Promise<V | null> {
    if (!this.usable) return load();
    const hit = this.peek(id);
    if (hit) return hit;
    const snapshot = this.tracker.snapshot();
    const value = await load();
    return value ? this.offer(id, value, snapshot) : value;
  }

  /** The cached value, if any (counts as a use). */
  peek(id: string): V | undefined {
    if (!this.usable) return undefined;
    const hit = this.entries.get(id);
    if (hit) {
      this.entries.delete(id);
      this.entries.set(id, hit);
    }
    return hit;
  }

  /**
   * Keeps a value loaded after `snapshot` (tracker.snapshot() taken before the load), unless its
   * document changed meanwhile. Answers the value, frozen when kept.
   */
  offer(id: string, value: V, snapshot: number): V {
    if (this.usable && this.tracker.keyUnchangedSince(this.collection, id, snapshot)) remember(this.entries, id, value, this.capacity);
    return value;
  }
}

/**
 * Derived answers (a session and its user, the holiday calendar) that stay valid until one of
 * the collections they were read from changes (`inserts`: a new document matters too).
 */
export class DerivedCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(
    private readonly tracker: ChangeTracker,
    private readonly sources: ReadonlyArray<{ collection: string; inserts: boolean }>,
    private readonly capacity: number,
  ) {
    for (const s of sources) {
      tracker.onChange(s.collection, (kind) => {
        if (kind === 'change' || s.inserts) this.entries.clear();
      });
    }
  }

  async get(key: string, load: () => Promise<V>, keep: (value: V) => boolean = () => true): Promise<V> {
    if (this.capacity === 0 || !this.tracker.live) return load();
    if (this.entries.has(key)) return this.entries.get(key)!;
    const snapshot = this.tracker.snapshot();
    const value = await load();
    const unchanged = this.sources.every((s) => this.tracker.collectionUnchangedSince(s.collection, snapshot, s.inserts));
    if (unchanged && this.tracker.live && keep(value)) remember(this.entries, key, value, this.capacity);
    return value;
  }
}
