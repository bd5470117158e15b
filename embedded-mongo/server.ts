/**
 * The server: TCP listener, connection bookkeeping, command dispatch (sessions, transactions,
 * retryable writes), background maintenance (TTL, transaction/cursor/session expiry) and an
 * orderly stop() that leaves no socket or timer behind.
 */
import net from 'node:net';
import type { Doc } from './bson/codec.js';
import { deserialize, isPlainDoc, serialize, toNumber } from './bson/codec.js';
import { ChangeLog } from './changestreams.js';
import { adminCommands } from './commands/admin.js';
import type { CmdContext, Handler, Reply } from './commands/context.js';
import { crudCommands } from './commands/crud.js';
import { ddlCommands } from './commands/ddl.js';
import { explainPlan, queryCommands } from './commands/query.js';
import { Cursors } from './cursors.js';
import { MongoError, asMongoError, noSuchTransaction } from './errors.js';
import { Persistence } from './storage/persistence.js';
import { rangePositions } from './storage/planner.js';
import { Store } from './storage/store.js';
import { Sessions, sessionKey } from './txn/sessions.js';
import { readConcernOutsideTxn, withClusterTime } from './txn/readconcern.js';
import { Connection } from './wire/connection.js';
import type { Request } from './wire/protocol.js';
import { FLAG_MORE_TO_COME, buildMsg, buildReply } from './wire/protocol.js';
import { parseSort } from './query/sort.js';
import { Authenticator, type UserSpec } from './auth/scram.js';
import { FailPoints } from './failpoints.js';

export interface EmbeddedMongoOptions {
  /** TCP port; 0 picks a free one. */
  port?: number;
  host?: string;
  /** Replica-set name advertised in hello; null or '' runs as a standalone. */
  replicaSetName?: string | null;
  /** Directory for the journal and snapshots; memory only when absent. */
  dataDir?: string;
  /** Transactions older than this are aborted (default 60 s). */
  txnLifetimeMs?: number;
  /** How often TTL indexes are swept (default 1 s). */
  ttlIntervalMs?: number;
  /** Change-stream events kept for resumption (default 10,000). */
  changeStreamHistory?: number;
  /** fsync interval for the journal in ms (default 100; 0 = fsync on every commit). */
  syncIntervalMs?: number;
  /**
   * Users who may connect (SCRAM-SHA-256). When given, every command but the handshake and
   * authentication itself needs an authenticated connection, as on mongod with `--auth`.
   */
  auth?: { users: UserSpec[] };
  /** Enables the commands mongod enables with `enableTestCommands` (`configureFailPoint`). Never in production. */
  testCommands?: boolean;
}

/** What mongod answers on a connection that has not authenticated (its commands with requiresAuth() false). */
const WITHOUT_AUTH = new Set(['hello', 'isMaster', 'ismaster', 'saslStart', 'saslContinue', 'ping', 'buildInfo', 'buildinfo', 'connectionStatus', 'logout']);

const TXN_COMMANDS = new Set(['find', 'getMore', 'killCursors', 'insert', 'update', 'delete', 'findAndModify', 'findandmodify',
  'aggregate', 'distinct', 'create', 'createIndexes']);
const RETRYABLE = new Set(['insert', 'update', 'delete', 'findAndModify', 'findandmodify']);
const SESSION_IDLE_MS = 30 * 60 * 1000;
/** EMBEDDED_MONGO_DEBUG=1 logs unexpected (internal) errors; =all logs every failed command. */
const DEBUG = process.env.EMBEDDED_MONGO_DEBUG;

export class EmbeddedServer {
  readonly store = new Store();
  readonly cursors = new Cursors();
  readonly sessions = new Sessions();
  readonly changeLog: ChangeLog;
  readonly replicaSetName: string | undefined;
  readonly authenticator: Authenticator | undefined;
  readonly failPoints = new FailPoints();
  readonly startedAt = Date.now();
  persistence?: Persistence;
  port = 0;
  advertisedHost = '';
  stopping = false;
  private server?: net.Server;
  private conns = new Set<Connection>();
  private waiters = new Set<() => void>();
  private timer?: NodeJS.Timeout;
  private lastTtl = 0;
  private commands: Record<string, Handler>;

  constructor(readonly options: EmbeddedMongoOptions = {}) {
    this.replicaSetName = options.replicaSetName === null || options.replicaSetName === '' ? undefined : options.replicaSetName ?? 'rs0';
    this.changeLog = new ChangeLog(options.changeStreamHistory ?? 10_000);
    this.authenticator = options.auth ? new Authenticator(options.auth.users) : undefined;
    this.commands = { ...adminCommands(), ...ddlCommands(), ...crudCommands, ...queryCommands, explain: this.explain };
    if (options.testCommands) this.commands.configureFailPoint = (cmd) => this.failPoints.configure(cmd);
  }

  get connectionCount(): number { return this.conns.size; }

  get uri(): string {
    const q = this.replicaSetName ? `?replicaSet=${encodeURIComponent(this.replicaSetName)}` : '';
    return `mongodb://${this.advertisedHost}/${q}`;
  }

  async start(): Promise<void> {
    if (this.options.dataDir) {
      this.persistence = await Persistence.open(this.options.dataDir, this.store, { syncIntervalMs: this.options.syncIntervalMs ?? 100 });
    }
    this.changeLog.imagesEnabled = (db, c) => this.store.getCollection(db, c)?.options.changeStreamPreAndPostImages?.enabled === true;
    this.store.hooks.onCommit = (ops, info) => {
      this.persistence?.append(ops, info);
      this.changeLog.append(ops, info);
    };
    const host = this.options.host ?? '127.0.0.1';
    const server = net.createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Keep serving even if a later listener error happens (it is reported, not thrown).
    server.on('error', () => undefined);
    this.port = (server.address() as net.AddressInfo).port;
    const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
    this.advertisedHost = `${shown}:${this.port}`;
    this.timer = setInterval(() => this.maintenance(), 250);
    this.timer.unref();
  }

  private accept(socket: net.Socket): void {
    if (this.stopping) { socket.destroy(); return; }
    const c = new Connection(socket, (req, conn) => this.dispatch(req, conn), (conn) => this.conns.delete(conn));
    this.conns.add(c);
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.changeLog.wakeAll();
    for (const w of this.waiters) w();
    this.waiters.clear();
    const closed = new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    for (const c of [...this.conns]) c.close();
    await closed;
    for (const t of [...this.store.activeTxns]) this.store.abortTxn(t);
    await this.persistence?.close();
  }

  trackWaiter(cancel: () => void): void {
    this.waiters.add(cancel);
  }

  endSession(key: string): void {
    const s = this.sessions.end(key);
    if (s?.txn && s.txn.state === 'active') this.store.abortTxn(s.txn);
    if (s?.snapshotPin) this.store.abortTxn(s.snapshotPin);
    this.cursors.killForSession(key);
  }

  private maintenance(): void {
    try {
      const now = Date.now();
      this.sessions.now = now;
      const lifetime = this.options.txnLifetimeMs ?? 60_000;
      for (const t of [...this.store.activeTxns]) {
        if (now - t.startedAt > lifetime) {
          this.store.abortTxn(t, noSuchTransaction(t.txnNumber, 'has been aborted because it exceeded the transaction lifetime limit'));
        }
      }
      this.cursors.expire();
      this.sessions.expire(SESSION_IDLE_MS, (s) => {
        if (s.txn?.state === 'active') this.store.abortTxn(s.txn);
        if (s.snapshotPin) this.store.abortTxn(s.snapshotPin);
      });
      const ttlEvery = this.options.ttlIntervalMs ?? 1000;
      if (now - this.lastTtl >= ttlEvery) {
        this.lastTtl = now;
        this.sweepTtl(now);
      }
      this.persistence?.maybeCompact();
    } catch {
      // Maintenance must never take the process down.
    }
  }

  /** Deletes documents whose TTL-indexed date is older than expireAfterSeconds, via the ordered index. */
  sweepTtl(now = Date.now()): number {
    let removed = 0;
    for (const name of this.store.listDatabases()) {
      for (const coll of this.store.listCollections(name)) {
        for (const ix of coll.indexes) {
          if (ix.ttlSeconds === undefined || ix.special || ix.fields.length !== 1) continue;
          const cutoff = new Date(now - ix.ttlSeconds * 1000);
          const [s, e] = rangePositions(ix, [], undefined, { v: cutoff, incl: false });
          const rids = new Set<number>();
          for (const entry of ix.tree.range(s, e)) rids.add(entry.rid);
          for (const rid of rids) {
            const rec = coll.records.get(rid);
            if (!rec || this.store.blockerFor(coll, [{ id: rec.doc._id, doc: null }])) continue;
            try {
              this.store.delete(coll, rec.doc);
              removed++;
            } catch {
              /* a concurrent transaction: try again next sweep */
            }
          }
        }
      }
    }
    if (removed) this.persistence?.flush();
    return removed;
  }

  private explain: Handler = (cmd, ctx) => {
    const inner = cmd.explain;
    if (!isPlainDoc(inner)) throw new MongoError(9, 'explain command requires a nested object');
    const name = Object.keys(inner)[0];
    const collName = inner[name];
    const coll = typeof collName === 'string' ? ctx.store.getCollection(ctx.db, collName) : undefined;
    if (name === 'find') return explainPlan(ctx, coll, inner.filter, parseSort(inner.sort), toNumber(inner.limit, 0), inner.hint);
    if (name === 'count') return explainPlan(ctx, coll, inner.query, undefined, 0, inner.hint, true);
    if (name === 'aggregate') {
      const first = Array.isArray(inner.pipeline) && isPlainDoc(inner.pipeline[0]) ? inner.pipeline[0].$match : undefined;
      return explainPlan(ctx, coll, first, undefined, 0, inner.hint);
    }
    if (name === 'update' || name === 'delete') {
      const list = inner[name === 'update' ? 'updates' : 'deletes'];
      return explainPlan(ctx, coll, Array.isArray(list) ? list[0]?.q : undefined, undefined, 0, undefined);
    }
    if (name === 'findAndModify' || name === 'distinct') return explainPlan(ctx, coll, inner.query, parseSort(inner.sort), 1, inner.hint);
    throw new MongoError(59, `Explain is not supported for command '${name}'`);
  };

  // -------------------------------------------------------------------------------------------
  // Dispatch

  private async dispatch(req: Request, conn: Connection): Promise<Buffer | null> {
    const requestId = req.header.requestId;
    if (req.kind === 'query') {
      let body = req.body;
      if (isPlainDoc(body.$query)) body = body.$query;
      const dot = req.ns.indexOf('.');
      const db = dot > 0 ? req.ns.slice(0, dot) : req.ns;
      let reply: Reply;
      if (req.ns.slice(dot + 1) !== '$cmd') reply = new MongoError(352, 'Unsupported OP_QUERY command: only commands on <db>.$cmd are supported').toReply();
      else reply = await this.run(body, db, conn);
      return buildReply(requestId, Buffer.isBuffer(reply) ? reply : serialize(reply));
    }
    const db = req.body.$db;
    let reply: Reply;
    if (typeof db !== 'string' || db === '') reply = new MongoError(40571, 'OP_MSG requests require a $db argument').toReply();
    else reply = await this.run(req.body, db, conn);
    if (req.flags & FLAG_MORE_TO_COME) return null;
    return buildMsg(requestId, Buffer.isBuffer(reply) ? reply : serialize(reply));
  }

  /** Runs a command and always produces a reply (errors become {ok:0,...}). */
  private async run(body: Doc, db: string, conn?: Connection): Promise<Reply> {
    try {
      const r = await this.runCommand(body, db, conn);
      return this.replicaSetName ? withClusterTime(r, this.store) : r;
    } catch (e) {
      const me = asMongoError(e);
      if (DEBUG && (!(e instanceof MongoError) || DEBUG === 'all')) {
        process.stderr.write(`[embedded-mongo] ${Object.keys(body)[0]} failed: ${(e as Error)?.stack ?? String(e)}\n`);
      }
      return this.replicaSetName ? withClusterTime(me.toReply(), this.store) : me.toReply();
    } finally {
      // Acknowledged writes are in the journal (OS page cache) before the reply leaves.
      this.persistence?.flush();
    }
  }

  async runCommand(body: Doc, db: string, conn?: Connection): Promise<Reply> {
    if (!this.options.testCommands || !conn) return this.execute(body, db, conn);
    let first: string | undefined;
    for (const k in body) { first = k; break; }
    const key = body.txnNumber !== undefined ? sessionKey(body.lsid) : undefined;
    const session = key ? this.sessions.map.get(key) : undefined;
    const isRetry = !!session && session.txnNumber === toNumber(body.txnNumber) && (!!session.retryReply || !!session.retryPending);
    const action = first ? this.failPoints.check(first, body, conn.state.appName as string | undefined, isRetry) : undefined;
    if (!action) return this.execute(body, db, conn);
    if (action.blockMs) await new Promise((resolve) => setTimeout(resolve, action.blockMs));
    if (action.closeConnection) {
      conn.close();
      throw new MongoError(9001, "connection closed via 'failCommand' failpoint");
    }
    if (action.error) throw action.error;
    const reply = await this.execute(body, db, conn);
    if (action.closeAfter) {
      conn.close();
      throw new MongoError(9001, "connection closed via 'onPrimaryTransactionalWrite' failpoint");
    }
    if (action.writeConcernError) {
      const doc = Buffer.isBuffer(reply) ? deserialize(reply) : reply;
      const labels = [...(Array.isArray(doc.errorLabels) ? doc.errorLabels : []), ...(action.errorLabels ?? [])];
      return { ...doc, writeConcernError: action.writeConcernError, ...(labels.length ? { errorLabels: labels } : {}) };
    }
    return reply;
  }

  private async execute(body: Doc, db: string, conn?: Connection): Promise<Reply> {
    let name: string | undefined;
    for (const k in body) { name = k; break; }
    if (name === undefined) throw new MongoError(59, "no such command: ''");
    const handler = this.commands[name];
    if (!handler) throw new MongoError(59, `no such command: '${name}'`);
    if (this.authenticator && conn && !WITHOUT_AUTH.has(name) && !(conn.state.auth as { user?: string } | undefined)?.user) {
      throw new MongoError(13, `Command ${name} requires authentication`);
    }
    const ctx: CmdContext = { server: this, store: this.store, conn, db, name };
    const key = sessionKey(body.lsid);
    const session = key ? this.sessions.get(key) : undefined;
    ctx.session = session;
    const txnNumber = body.txnNumber !== undefined ? toNumber(body.txnNumber) : undefined;

    if (body.autocommit === false || body.autocommit === 0) {
      if (!session || txnNumber === undefined) throw new MongoError(72, 'Transactions require a session (lsid) and a txnNumber');
      if (name === 'commitTransaction' || name === 'abortTransaction') {
        if (txnNumber < session.txnNumber) throw new MongoError(225, `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.txnNumber} has already started`);
        ctx.txn = session.txn && session.txn.txnNumber === txnNumber ? session.txn : undefined;
        return handler(body, ctx);
      }
      if (body.startTransaction === true) {
        if (txnNumber < session.txnNumber) throw new MongoError(225, `Cannot start transaction ${txnNumber} on session because a newer transaction ${session.txnNumber} has already started`);
        if (session.txn && session.txn.txnNumber === txnNumber) throw new MongoError(251, `Transaction with { txnNumber: ${txnNumber} } has already been started`, {}, ['TransientTransactionError']);
        if (session.txn?.state === 'active') this.store.abortTxn(session.txn);
        session.txn = this.store.beginTxn(key!, txnNumber);
        session.txnNumber = txnNumber;
        session.retryReply = undefined;
      } else {
        const t = session.txn;
        if (!t || t.txnNumber !== txnNumber) {
          if (txnNumber < session.txnNumber) throw new MongoError(225, `Cannot continue transaction ${txnNumber}: a newer transaction ${session.txnNumber} has started`);
          throw noSuchTransaction(txnNumber, 'does not match any in-progress transactions');
        }
        if (t.state !== 'active') throw t.abortError ?? noSuchTransaction(txnNumber);
      }
      const txn = session.txn!;
      if (!TXN_COMMANDS.has(name)) {
        throw new MongoError(263, `Cannot run '${name}' in a multi-document transaction.`);
      }
      ctx.txn = txn;
      try {
        const r = await handler(body, ctx);
        if (!Buffer.isBuffer(r) && Array.isArray(r.writeErrors) && r.writeErrors.length) this.store.abortTxn(txn);
        return r;
      } catch (e) {
        this.store.abortTxn(txn, asMongoError(e).code === 112 ? asMongoError(e) : undefined);
        throw e;
      }
    }

    const snapshot = readConcernOutsideTxn(this.store, name, body, session, key);
    if (snapshot) {
      ctx.txn = snapshot.pin;
      ctx.atClusterTime = snapshot.at;
      const r = await handler(body, ctx);
      // distinct says at which cluster time it read in the reply itself; cursors in `cursor`
      return Buffer.isBuffer(r) ? r : { ...r, atClusterTime: snapshot.at };
    }

    if (txnNumber !== undefined && session && RETRYABLE.has(name)) {
      if (txnNumber === session.txnNumber) {
        if (session.retryReply) return session.retryReply;
        if (session.retryPending) return session.retryPending;
      }
      if (txnNumber < session.txnNumber) throw new MongoError(225, `Retryable write with txnNumber ${txnNumber} is prohibited on session because a newer retryable write with txnNumber ${session.txnNumber} has already started on this session.`);
      session.txnNumber = txnNumber;
      session.retryReply = undefined;
      const run = (async () => {
        const r = await handler(body, ctx);
        const buf = Buffer.isBuffer(r) ? r : serialize(r);
        if (session.txnNumber === txnNumber) session.retryReply = buf;
        return buf;
      })();
      session.retryPending = run;
      try {
        return await run;
      } finally {
        if (session.retryPending === run) session.retryPending = undefined;
      }
    }
    return handler(body, ctx);
  }
}
