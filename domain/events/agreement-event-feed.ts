import { Types } from 'mongoose';
import type { ChangeStream } from 'mongodb';
import type { Actor } from '../accounts/actor.js';
import type { DomainContext } from '../context.js';
import type { AgreementRecord } from '../../models/agreement.js';
import type { HistoryEventRecord } from '../../models/history-event.js';
import { canSee } from '../agreements/get-visible-agreement.js';

/**
 * What an open page hears when an agreement changes: enough to know what to read again, nothing
 * the reader could not read on the agreement itself.
 */
export interface AgreementEvent {
  /** the history event's id */
  id: string;
  agreementId: string;
  code: string;
  stage: string;
  version: number;
  action: string;
  seq: number;
  at: string;
}

export interface EventSubscriber {
  /** who listens; the edge refreshes it as the session is re-checked */
  actor: Actor;
  send(event: AgreementEvent): void;
  /**
   * Reads the listener's session again (the edge's check; at most every couple of seconds) before
   * a delivery: a listener moved to another unit, demoted or disabled a moment ago hears nothing
   * it may no longer read. An ended session unsubscribes the listener.
   */
  refresh?(): Promise<void>;
}

type Mode = 'change_stream' | 'polling';

/** Reads of a document change nothing others see: they are not announced. */
const QUIET_ACTIONS = new Set(['document_downloaded']);
/** How far back each poll looks: covers commits that land after their event's id was made, and clock skew between instances. */
const POLL_WINDOW_MS = 15_000;

/**
 * Every change to an agreement appends an event to its history chain (stage moves, signatures,
 * uploads, comments, edits), so the history collection is the one feed of "something changed".
 * It is watched through a MongoDB change stream where the database has them (a replica set, the
 * embedded server) and polled where it does not (a standalone), one watcher per process whatever
 * the number of listeners. Each event is shown to a listener only when the access rule of the
 * agreement itself (canSee) lets that listener read it, judged on the agreement as it is now.
 */
export class AgreementEventFeed {
  private subscribers = new Set<EventSubscriber>();
  private generation = 0;
  private starting: Promise<void> | undefined;
  private stream: ChangeStream | undefined;
  private pollTimer: NodeJS.Timeout | undefined;
  private seen = new Map<string, number>();
  /** how events are watched now; undefined while nobody listens */
  mode: Mode | undefined;

  constructor(
    private readonly ctx: DomainContext,
    private readonly options: { pollIntervalMs?: number; useChangeStreams?: boolean } = {},
  ) {}

  /** Starts listening; resolves once changes are being watched (a change made after that is heard). */
  async subscribe(subscriber: EventSubscriber): Promise<() => void> {
    this.subscribers.add(subscriber);
    if (!this.starting) this.starting = this.start(this.generation);
    await this.starting;
    return () => this.unsubscribe(subscriber);
  }

  get listeners(): number {
    return this.subscribers.size;
  }

  private unsubscribe(subscriber: EventSubscriber): void {
    this.subscribers.delete(subscriber);
    if (this.subscribers.size === 0) this.stop();
  }

  /** Stops watching (also when the service shuts down). */
  stop(): void {
    this.generation++;
    this.starting = undefined;
    this.mode = undefined;
    clearTimeout(this.pollTimer);
    this.pollTimer = undefined;
    const stream = this.stream;
    this.stream = undefined;
    void stream?.close().catch(() => {});
    this.seen.clear();
  }

  private async start(generation: number): Promise<void> {
    if (this.options.useChangeStreams !== false && (await this.openChangeStream(generation))) return;
    if (generation !== this.generation) return;
    await this.startPolling(generation, true);
  }

  /** True once the stream is open; false when the database has no change streams. */
  private async openChangeStream(generation: number): Promise<boolean> {
    const collection = this.ctx.models.HistoryEvent.collection;
    const stream = collection.watch(
      [{ $match: { operationType: 'insert' } }, { $project: { operationType: 1, 'fullDocument._id': 1, 'fullDocument.agreementId': 1, 'fullDocument.seq': 1, 'fullDocument.action': 1, 'fullDocument.at': 1 } }],
      { maxAwaitTimeMS: 500 },
    );
    let first;
    try {
      // the first call sends the aggregate that opens the stream: a standalone refuses it here
      first = await stream.tryNext();
    } catch (err) {
      void stream.close().catch(() => {});
      this.ctx.logger.info('live events: no change streams on this database, polling instead', { error: String((err as Error)?.message ?? err) });
      return false;
    }
    if (generation !== this.generation) {
      void stream.close().catch(() => {});
      return true;
    }
    this.stream = stream;
    this.mode = 'change_stream';
    void this.consume(stream, generation, first);
    return true;
  }

  private async consume(stream: ChangeStream, generation: number, first: unknown): Promise<void> {
    let next = first as { fullDocument?: HistoryEventRecord } | null;
    try {
      for (;;) {
        if (next?.fullDocument) await this.dispatch([next.fullDocument]);
        if (generation !== this.generation || stream.closed) return;
        next = (await stream.tryNext()) as typeof next;
      }
    } catch (err) {
      if (generation !== this.generation) return;
      // a stream that breaks (failover, network) hands over to polling, which looks back far enough to miss nothing
      this.ctx.logger.warn('live events: change stream ended, polling instead', { error: String((err as Error)?.message ?? err) });
      void stream.close().catch(() => {});
      this.stream = undefined;
      await this.startPolling(generation, false);
    }
  }

  private async startPolling(generation: number, skipPast: boolean): Promise<void> {
    this.mode = 'polling';
    if (skipPast) {
      // what happened before anyone listened is not news
      for (const e of await this.recentEvents()) this.seen.set(String(e._id), Date.now());
    }
    const tick = async () => {
      if (generation !== this.generation) return;
      try {
        const fresh = (await this.recentEvents()).filter((e) => !this.seen.has(String(e._id)));
        const now = Date.now();
        for (const e of fresh) this.seen.set(String(e._id), now);
        for (const [id, at] of this.seen) if (at < now - 2 * POLL_WINDOW_MS) this.seen.delete(id);
        if (fresh.length) await this.dispatch(fresh);
      } catch (err) {
        this.ctx.logger.warn('live events: poll failed', { error: String((err as Error)?.message ?? err) });
      }
      if (generation === this.generation) this.pollTimer = setTimeout(tick, this.options.pollIntervalMs ?? 1000);
    };
    if (generation === this.generation) this.pollTimer = setTimeout(tick, this.options.pollIntervalMs ?? 1000);
  }

  /** The events whose ids were made in the last POLL_WINDOW_MS, oldest first (ids start with their creation second). */
  private async recentEvents(): Promise<HistoryEventRecord[]> {
    const since = Types.ObjectId.createFromTime(Math.floor((Date.now() - POLL_WINDOW_MS) / 1000));
    return this.ctx.models.HistoryEvent.collection
      .find({ _id: { $gt: since } }, { projection: { agreementId: 1, seq: 1, action: 1, at: 1 }, sort: { _id: 1 }, limit: 5000 })
      .toArray() as Promise<HistoryEventRecord[]>;
  }

  private async dispatch(events: HistoryEventRecord[]): Promise<void> {
    const wanted = events.filter((e) => !QUIET_ACTIONS.has(e.action));
    if (!wanted.length || !this.subscribers.size) return;
    const ids = [...new Set(wanted.map((e) => String(e.agreementId)))].map((id) => new Types.ObjectId(id));
    // as the agreements are now: one made confidential a moment ago is no longer announced to other units
    const agreements = (await this.ctx.models.Agreement.collection
      .find({ _id: { $in: ids } }, { projection: { code: 1, stage: 1, version: 1, confidentiality: 1, leadUnit: 1 } })
      .toArray()) as unknown as AgreementRecord[];
    const byId = new Map(agreements.map((a) => [String(a._id), a]));
    await Promise.all([...this.subscribers].map((s) => s.refresh?.()));
    for (const e of wanted) {
      const a = byId.get(String(e.agreementId));
      if (!a) continue;
      const event: AgreementEvent = {
        id: String(e._id),
        agreementId: String(a._id),
        code: a.code,
        stage: a.stage,
        version: a.version,
        action: e.action,
        seq: e.seq,
        at: new Date(e.at).toISOString(),
      };
      for (const s of this.subscribers) {
        if (!canSee(s.actor, a)) continue;
        try {
          s.send(event);
        } catch {
          // one broken connection never stops the others; its close handler unsubscribes it
        }
      }
    }
  }
}
