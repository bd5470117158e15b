/**
 * The server: TCP listener, connection bookkeeping, command dispatch through the command table
 * (commands/table.ts; sessions, transactions and retryable writes in txn/coordinator.ts),
 * background maintenance (TTL sweep, transaction/cursor/session expiry) and an orderly stop()
 * that leaves no socket or timer behind.
 */
import net from 'node:net';
import type { Doc } from './bson/codec.js';
import { deserialize, isPlainDoc, serialize } from './bson/codec.js';
import { ChangeLog } from './changestreams/log.js';
import type { CmdContext, Reply, ServerServices } from './commands/context.js';
import { COMMANDS } from './commands/table.js';
import { unsatisfiableWriteConcern } from './commands/write-concern.js';
import { Cursors } from './cursors.js';
import { MongoError, asMongoError } from './errors.js';
import { Persistence } from './storage/persistence.js';
import { Store } from './storage/store.js';
import { sweepExpired } from './storage/ttl.js';
import { TxnCoordinator } from './txn/coordinator.js';
import { withClusterTime } from './txn/readconcern.js';
import { Connection } from './wire/connection.js';
import type { Request } from './wire/protocol.js';
import { FLAG_MORE_TO_COME, buildMsg, buildReply } from './wire/protocol.js';
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

/** EMBEDDED_MONGO_DEBUG=1 logs unexpected (internal) errors; =all logs every failed command. */
const DEBUG = process.env.EMBEDDED_MONGO_DEBUG;

export class EmbeddedServer implements ServerServices {
  readonly store = new Store();
  readonly cursors = new Cursors();
  readonly txns = new TxnCoordinator(this.store, this.cursors);
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

  constructor(readonly options: EmbeddedMongoOptions = {}) {
    this.replicaSetName = options.replicaSetName === null || options.replicaSetName === '' ? undefined : options.replicaSetName ?? 'rs0';
    this.changeLog = new ChangeLog(options.changeStreamHistory ?? 10_000);
    this.authenticator = options.auth ? new Authenticator(options.auth.users) : undefined;
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
    this.txns.abortAll();
    await this.persistence?.close();
  }

  trackWaiter(cancel: () => void): void {
    this.waiters.add(cancel);
  }

  private maintenance(): void {
    try {
      const now = Date.now();
      this.txns.expire(now, this.options.txnLifetimeMs ?? 60_000);
      this.cursors.expire();
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

  /** One TTL sweep (storage/ttl.ts); returns how many documents it deleted. */
  sweepTtl(now = Date.now()): number {
    const removed = sweepExpired(this.store, now);
    if (removed) this.persistence?.flush();
    return removed;
  }

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
    const action = first ? this.failPoints.check(first, body, conn.state.appName as string | undefined, this.txns.isRetry(body)) : undefined;
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

  private execute(body: Doc, db: string, conn?: Connection): Promise<Reply> | Reply {
    let name: string | undefined;
    for (const k in body) { name = k; break; }
    if (name === undefined) throw new MongoError(59, "no such command: ''");
    const command = COMMANDS.get(name);
    if (!command || (command.testOnly && !this.options.testCommands)) throw new MongoError(59, `no such command: '${name}'`);
    if (this.authenticator && conn && !command.withoutAuth && !(conn.state.auth as { user?: string } | undefined)?.user) {
      throw new MongoError(13, `Command ${name} requires authentication`);
    }
    const ctx: CmdContext = { server: this, store: this.store, conn, db, name };
    const reply = this.txns.run(name, body, command, ctx, () => command.handler(body, ctx));
    // a statement inside a transaction waits for nothing; its commit waits for the transaction's write concern
    const waits = command.writeConcern && this.replicaSetName && (body.autocommit !== false || command.endsTransaction);
    const unsatisfiable = waits ? unsatisfiableWriteConcern(body.writeConcern) : undefined;
    return unsatisfiable ? Promise.resolve(reply).then((r) => withWriteConcernError(r, unsatisfiable)) : reply;
  }
}

/** A successful reply with the write concern's failure added (a failed command keeps its own error). */
function withWriteConcernError(reply: Reply, writeConcernError: Doc): Reply {
  const doc = Buffer.isBuffer(reply) ? deserialize(reply) : reply;
  if (doc.ok !== 1 || doc.writeConcernError) return reply;
  return { ...doc, writeConcernError };
}
