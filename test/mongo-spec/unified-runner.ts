/**
 * A runner for MongoDB's unified test format (mongodb/specifications,
 * source/unified-test-format/unified-test-format.md), driving a server through the real Node.js
 * driver. It covers what the CRUD, transactions, sessions, retryable-writes, change-streams,
 * index- and collection-management and command-monitoring files use; an operation it does not
 * know fails that test with "unsupported operation", it never passes by default.
 */
import { EJSON } from 'bson';
import {
  MongoClient,
  MongoServerError,
  MongoBulkWriteError,
  ReadPreference,
  type ChangeStream,
  type ClientSession,
  type Collection,
  type CommandFailedEvent,
  type CommandStartedEvent,
  type CommandSucceededEvent,
  type Db,
  type Document,
} from 'mongodb';
import { assertMatches, MatchError, type MatchContext } from './match.js';

export interface ServerInfo {
  uri: string;
  /** e.g. "7.0.0" */
  version: string;
  topology: 'single' | 'replicaset' | 'sharded' | 'load-balanced';
  auth: boolean;
}

export interface SpecFile {
  description: string;
  schemaVersion: string;
  runOnRequirements?: Requirement[];
  createEntities?: Document[];
  initialData?: Array<{ collectionName: string; databaseName: string; documents: Document[]; createOptions?: Document }>;
  tests: SpecTest[];
}

export interface SpecTest {
  description: string;
  runOnRequirements?: Requirement[];
  skipReason?: string;
  operations: Operation[];
  expectEvents?: Array<{ client: string; eventType?: string; events: Document[]; ignoreExtraEvents?: boolean }>;
  outcome?: Array<{ collectionName: string; databaseName: string; documents: Document[] }>;
}

interface Requirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  auth?: boolean;
  serverParameters?: Document;
  csfle?: boolean;
  authMechanism?: string;
}

interface Operation {
  name: string;
  object: string;
  arguments?: Document;
  expectResult?: unknown;
  expectError?: Document;
  saveResultAsEntity?: string;
  ignoreResultAndError?: boolean;
}

/** Parses a spec file with Extended JSON types kept ($numberLong stays a Long, and so on). */
export function parseSpecFile(text: string): SpecFile {
  return int32AsNumbers(EJSON.parse(text, { relaxed: false })) as SpecFile;
}

/**
 * Plain JSON integers parse as Int32 objects when relaxed is off, and the driver checks options
 * with `typeof … === 'number'` (sort directions, maxCommitTimeMS, batchSize…), so an Int32 option
 * would be dropped. A JS integer serializes as the same int32, so documents are unchanged.
 */
function int32AsNumbers(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(int32AsNumbers);
  if (v === null || typeof v !== 'object') return v;
  const t = (v as { _bsontype?: string })._bsontype;
  if (t === 'Int32') return (v as { valueOf(): number }).valueOf();
  if (t !== undefined || v instanceof Date || v instanceof Uint8Array || v instanceof RegExp) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = int32AsNumbers(x);
  return out;
}

const versionParts = (v: string) => v.split('.').map((p) => Number.parseInt(p, 10) || 0);
function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d) return Math.sign(d);
  }
  return 0;
}

/** Why a requirement list is not met by this server, or undefined when one of them is. */
export function unmetRequirements(reqs: Requirement[] | undefined, server: ServerInfo): string | undefined {
  if (!reqs || reqs.length === 0) return undefined;
  const reasons: string[] = [];
  for (const r of reqs) {
    const why: string[] = [];
    if (r.minServerVersion && compareVersions(server.version, r.minServerVersion) < 0) why.push(`needs server ≥ ${r.minServerVersion}`);
    if (r.maxServerVersion && compareVersions(server.version, r.maxServerVersion) > 0) why.push(`needs server ≤ ${r.maxServerVersion}`);
    if (r.topologies && !r.topologies.includes(server.topology)) why.push(`needs topology ${r.topologies.join('|')}`);
    if (r.serverless === 'require') why.push('needs serverless');
    if (r.auth === true && !server.auth) why.push('needs authentication');
    if (r.auth === false && server.auth) why.push('needs no authentication');
    if (r.csfle) why.push('needs client-side encryption');
    if (r.authMechanism) why.push(`needs ${r.authMechanism}`);
    if (r.serverParameters) why.push(`needs server parameters ${JSON.stringify(r.serverParameters)}`);
    if (why.length === 0) return undefined;
    reasons.push(why.join(', '));
  }
  return reasons.join(' or ');
}

/** Test-runner commands that must not appear among a client's observed events. */
const IGNORED_COMMANDS = new Set(['configureFailPoint']);
const SENSITIVE = new Set(['authenticate', 'saslStart', 'saslContinue', 'getnonce', 'createUser', 'updateUser', 'copydbgetnonce', 'copydbsaslstart', 'copydb']);

interface ClientEntity {
  client: MongoClient;
  events: Array<{ type: string; event: CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent }>;
  observe: Set<string>;
  ignore: Set<string>;
  observeSensitive: boolean;
}

class TestState implements MatchContext {
  entities = new Map<string, unknown>();
  clients = new Map<string, ClientEntity>();
  failPoints: Array<{ client: MongoClient; name: string }> = [];
  /** lsids seen on the last commands, for assertSame/DifferentLsidOnLastTwoCommands */
  constructor(readonly server: ServerInfo, readonly internal: MongoClient) {}

  entity(id: string): unknown {
    if (!this.entities.has(id)) throw new MatchError(`no entity '${id}'`);
    return this.entities.get(id);
  }

  async createEntities(list: Document[]): Promise<void> {
    for (const item of list) {
      const [kind, spec] = Object.entries(item)[0] as [string, Document];
      if (kind === 'client') await this.createClient(spec);
      else if (kind === 'database') {
        const ce = this.clients.get(spec.client);
        if (!ce) throw new Error(`unknown client ${spec.client}`);
        this.entities.set(spec.id, ce.client.db(spec.databaseName, convertOptions(spec.databaseOptions ?? {})));
      } else if (kind === 'collection') {
        const db = this.entity(spec.database) as Db;
        this.entities.set(spec.id, db.collection(spec.collectionName, convertOptions(spec.collectionOptions ?? {})));
      } else if (kind === 'session') {
        const ce = this.clients.get(spec.client);
        if (!ce) throw new Error(`unknown client ${spec.client}`);
        const { snapshotTime, ...options } = { ...(spec.sessionOptions ?? {}) } as Document;
        if (options.defaultTransactionOptions) options.defaultTransactionOptions = convertOptions(options.defaultTransactionOptions);
        const session = ce.client.startSession(options);
        // The driver has no snapshotTime option; the time a snapshot session reads at is this
        // field, which the driver sets from the first reply and sends as atClusterTime after.
        if (snapshotTime !== undefined) (session as unknown as { snapshotTime: unknown }).snapshotTime = this.entity(snapshotTime);
        this.entities.set(spec.id, session);
        this.entities.set(`${spec.id}#lsid`, session.id);
      } else {
        throw new Error(`unsupported entity kind '${kind}'`);
      }
    }
  }

  private async createClient(spec: Document): Promise<void> {
    const uriOptions = { ...(spec.uriOptions ?? {}) } as Document;
    const options: Document = { monitorCommands: true, serverSelectionTimeoutMS: 2000, minHeartbeatFrequencyMS: 50, heartbeatFrequencyMS: uriOptions.heartbeatFrequencyMS ?? 10_000 };
    for (const [k, v] of Object.entries(uriOptions)) {
      if (k === 'w' || k === 'wtimeoutMS' || k === 'journal') options.writeConcern = { ...(options.writeConcern ?? {}), [k === 'journal' ? 'journal' : k]: v };
      else if (k === 'readConcernLevel') options.readConcern = { level: v };
      else if (k === 'appname' || k === 'appName') options.appName = v;
      else options[k] = v;
    }
    const client = new MongoClient(this.server.uri, options);
    const ce: ClientEntity = {
      client,
      events: [],
      observe: new Set(spec.observeEvents ?? []),
      ignore: new Set(spec.ignoreCommandMonitoringEvents ?? []),
      observeSensitive: spec.observeSensitiveCommands === true,
    };
    const record = (type: string) => (event: CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent) => {
      if (IGNORED_COMMANDS.has(event.commandName) || ce.ignore.has(event.commandName)) return;
      if (!ce.observeSensitive && (SENSITIVE.has(event.commandName) || ((event.commandName === 'hello' || event.commandName.toLowerCase() === 'ismaster') && isSpeculative(event)))) return;
      ce.events.push({ type, event });
    };
    client.on('commandStarted', record('commandStartedEvent'));
    client.on('commandSucceeded', record('commandSucceededEvent'));
    client.on('commandFailed', record('commandFailedEvent'));
    await client.connect();
    this.clients.set(spec.id, ce);
    this.entities.set(spec.id, client);
  }

  async close(): Promise<void> {
    for (const fp of this.failPoints.splice(0)) {
      await fp.client.db('admin').command({ configureFailPoint: fp.name, mode: 'off' }).catch(() => undefined);
    }
    for (const v of this.entities.values()) {
      if (isChangeStream(v)) await v.close().catch(() => undefined);
    }
    for (const v of this.entities.values()) {
      if (v && typeof (v as ClientSession).endSession === 'function' && 'inTransaction' in (v as object)) await (v as ClientSession).endSession().catch(() => undefined);
    }
    for (const ce of this.clients.values()) await ce.client.close().catch(() => undefined);
  }
}

function isSpeculative(event: CommandStartedEvent | CommandSucceededEvent | CommandFailedEvent): boolean {
  return 'command' in event ? event.command?.speculativeAuthenticate !== undefined : false;
}

/** A unified-format read preference ({mode, tagSets, maxStalenessSeconds, hedge} or a mode) as the driver's. */
function readPreference(v: Document | string): ReadPreference {
  if (typeof v === 'string') return ReadPreference.fromString(v);
  const { mode, tagSets, ...rest } = v;
  return new ReadPreference(mode, tagSets, rest);
}

/** Unified-format option spellings to the driver's. */
function convertOptions(o: Document): Document {
  const out: Document = {};
  for (const [k, v] of Object.entries(o)) {
    if (k === 'readConcern') out.readConcern = v;
    else if (k === 'writeConcern') out.writeConcern = v;
    else if (k === 'readPreference') out.readPreference = readPreference(v);
    else if (k === 'timeoutMS') out.timeoutMS = v;
    else out[k] = v;
  }
  return out;
}

/** Operation arguments to driver options: sessions resolved, names adapted. */
function driverOptions(state: TestState, args: Document, omit: string[]): Document {
  const out: Document = {};
  for (const [k, v] of Object.entries(args)) {
    if (omit.includes(k)) continue;
    if (k === 'session') out.session = state.entity(v);
    else if (k === 'returnDocument') out.returnDocument = String(v).toLowerCase();
    else if (k === 'readPreference') out.readPreference = readPreference(v);
    else if (k === 'batchSize' || k === 'limit' || k === 'skip' || k === 'maxTimeMS') out[k] = Number(v);
    else out[k] = v;
  }
  return out;
}

const toArrayResult = async (cursor: { toArray(): Promise<Document[]> }) => cursor.toArray();

function insertedIdsObject(ids: Record<number, unknown>): Document {
  const out: Document = {};
  for (const [k, v] of Object.entries(ids)) out[k] = v;
  return out;
}

function bulkResult(r: Document): Document {
  return {
    insertedCount: r.insertedCount,
    matchedCount: r.matchedCount,
    modifiedCount: r.modifiedCount,
    deletedCount: r.deletedCount,
    upsertedCount: r.upsertedCount,
    insertedIds: insertedIdsObject(r.insertedIds ?? {}),
    upsertedIds: insertedIdsObject(r.upsertedIds ?? {}),
  };
}

function bulkRequests(requests: Document[]): Document[] {
  return requests.map((r) => {
    const [name, a] = Object.entries(r)[0] as [string, Document];
    return { [name]: { ...a } };
  });
}

async function runOperation(state: TestState, op: Operation): Promise<unknown> {
  const args = op.arguments ?? {};
  const target = op.object === 'testRunner' ? undefined : state.entity(op.object);
  const name = op.name;

  if (op.object === 'testRunner') return testRunnerOperation(state, name, args);

  if (isChangeStream(target)) {
    if (name === 'iterateUntilDocumentOrError') return target.next();
    if (name === 'iterateOnce') return target.tryNext();
    if (name === 'close') return target.close();
  }
  if (isSession(target)) {
    const session = target;
    switch (name) {
      case 'startTransaction':
        return session.startTransaction(convertOptions(args));
      case 'commitTransaction':
        return session.commitTransaction();
      case 'abortTransaction':
        return session.abortTransaction();
      case 'endSession':
        return session.endSession();
      case 'getSnapshotTime':
        return (session as unknown as { snapshotTime?: unknown }).snapshotTime;
      case 'withTransaction':
        return session.withTransaction(async () => {
          for (const inner of args.callback as Operation[]) await executeOperation(state, inner);
        }, convertOptions(omitKey(args, 'callback')));
    }
  }
  if (target instanceof MongoClient) {
    switch (name) {
      case 'listDatabases':
        return (await target.db('admin').admin().listDatabases(driverOptions(state, args, []))).databases;
      case 'listDatabaseNames':
        return (await target.db('admin').admin().listDatabases(driverOptions(state, args, []))).databases.map((d) => d.name);
      case 'createChangeStream':
        return openChangeStream(target.watch(args.pipeline ?? [], driverOptions(state, args, ['pipeline'])));
      case 'clientBulkWrite': {
        // {replaceOne: {namespace, …}} in the unified format, {name: 'replaceOne', namespace, …} for the driver
        const models = (args.models as Document[]).map((m) => {
          const [kind, a] = Object.entries(m)[0] as [string, Document];
          return { name: kind, ...a };
        });
        return target.bulkWrite(models as never, driverOptions(state, args, ['models']));
      }
    }
  }
  if (isDb(target)) {
    const db = target;
    switch (name) {
      case 'runCommand': {
        const opts = driverOptions(state, args, ['command', 'commandName']);
        return db.command(args.command, opts);
      }
      case 'aggregate':
        return toArrayResult(db.aggregate(args.pipeline, driverOptions(state, args, ['pipeline'])));
      case 'createCollection':
        await db.createCollection(args.collection, driverOptions(state, args, ['collection']));
        return undefined;
      case 'dropCollection':
        await db.dropCollection(args.collection, driverOptions(state, args, ['collection'])).catch((err) => {
          if ((err as MongoServerError).code !== 26) throw err;
        });
        return undefined;
      case 'listCollections':
        return toArrayResult(db.listCollections(args.filter ?? {}, driverOptions(state, args, ['filter'])));
      case 'listCollectionNames':
        return (await db.listCollections(args.filter ?? {}, { ...driverOptions(state, args, ['filter']), nameOnly: true }).toArray()).map((c) => c.name);
      case 'modifyCollection':
        return db.command({ collMod: args.collection, ...omitKey(omitKey(args, 'collection'), 'session') }, driverOptions(state, args, ['collection', 'validator', 'changeStreamPreAndPostImages', 'index', 'expireAfterSeconds']));
      case 'createChangeStream':
        return openChangeStream(db.watch(args.pipeline ?? [], driverOptions(state, args, ['pipeline'])));
    }
  }
  if (isCollection(target)) {
    const c = target;
    const o = (...omit: string[]) => driverOptions(state, args, omit);
    switch (name) {
      case 'insertOne':
        return c.insertOne(args.document, o('document'));
      case 'insertMany': {
        const r = await c.insertMany(args.documents, o('documents'));
        return { insertedCount: r.insertedCount, insertedIds: insertedIdsObject(r.insertedIds) };
      }
      case 'find':
        return toArrayResult(c.find(args.filter ?? {}, o('filter')));
      case 'findOne':
        return c.findOne(args.filter ?? {}, o('filter'));
      case 'aggregate':
        return toArrayResult(c.aggregate(args.pipeline, o('pipeline')));
      case 'countDocuments':
        return c.countDocuments(args.filter ?? {}, o('filter'));
      case 'estimatedDocumentCount':
        return c.estimatedDocumentCount(o());
      case 'count':
        // the deprecated count command itself (refused in transactions, unlike countDocuments)
        return (c as unknown as { count(f: Document, o: Document): Promise<number> }).count(args.filter ?? {}, o('filter'));
      case 'distinct':
        return c.distinct(args.fieldName, args.filter ?? {}, o('fieldName', 'filter'));
      case 'updateOne':
        return c.updateOne(args.filter, args.update, o('filter', 'update'));
      case 'updateMany':
        return c.updateMany(args.filter, args.update, o('filter', 'update'));
      case 'replaceOne':
        return c.replaceOne(args.filter, args.replacement, o('filter', 'replacement'));
      case 'deleteOne':
        return c.deleteOne(args.filter, o('filter'));
      case 'deleteMany':
        return c.deleteMany(args.filter, o('filter'));
      case 'findOneAndUpdate':
        return c.findOneAndUpdate(args.filter, args.update, o('filter', 'update'));
      case 'findOneAndReplace':
        return c.findOneAndReplace(args.filter, args.replacement, o('filter', 'replacement'));
      case 'findOneAndDelete':
        return c.findOneAndDelete(args.filter, o('filter'));
      case 'bulkWrite':
        return bulkResult(await c.bulkWrite(bulkRequests(args.requests) as never, o('requests')));
      case 'createIndex':
        return c.createIndex(args.keys, o('keys'));
      case 'dropIndex':
        return c.dropIndex(args.name, o('name'));
      case 'dropIndexes':
        return c.dropIndexes(o());
      case 'listIndexes':
        return toArrayResult(c.listIndexes(o()));
      case 'listIndexNames':
        return (await c.listIndexes(o()).toArray()).map((i) => i.name);
      case 'rename':
        await c.rename(args.to, o('to'));
        return undefined;
      case 'drop':
        return c.drop(o());
      case 'createChangeStream':
        return openChangeStream(c.watch(args.pipeline ?? [], o('pipeline')));
      case 'createSearchIndex':
        return c.createSearchIndex(args.model);
      case 'createSearchIndexes':
        return c.createSearchIndexes(args.models);
      case 'dropSearchIndex':
        return c.dropSearchIndex(args.name);
      case 'updateSearchIndex':
        return c.updateSearchIndex(args.name, args.definition);
      case 'listSearchIndexes':
        return toArrayResult(args.name === undefined ? c.listSearchIndexes(args.aggregationOptions) : c.listSearchIndexes(args.name, args.aggregationOptions));
    }
  }
  throw new UnsupportedError(`unsupported operation '${name}' on '${op.object}'`);
}

export class UnsupportedError extends Error {}

async function openChangeStream(stream: ChangeStream): Promise<ChangeStream> {
  // The unified format expects the aggregate to have run (and failed, if it fails) when the
  // operation returns, and nothing more: no getMore (which would wait for events).
  const cursor = (stream as unknown as { cursor: { cursorInit(): Promise<void> } }).cursor;
  try {
    await cursor.cursorInit();
  } catch (err) {
    await stream.close().catch(() => undefined);
    throw err;
  }
  return stream;
}

function omitKey(d: Document, key: string): Document {
  const { [key]: _omitted, ...rest } = d;
  void _omitted;
  return rest;
}

const isChangeStream = (v: unknown): v is ChangeStream => !!v && typeof (v as ChangeStream).tryNext === 'function' && 'resumeToken' in (v as object);
const isSession = (v: unknown): v is ClientSession => !!v && typeof (v as ClientSession).startTransaction === 'function';
const isDb = (v: unknown): v is Db => !!v && typeof (v as Db).collection === 'function' && typeof (v as Db).databaseName === 'string' && !(v instanceof MongoClient);
const isCollection = (v: unknown): v is Collection => !!v && typeof (v as Collection).insertOne === 'function';

async function testRunnerOperation(state: TestState, name: string, args: Document): Promise<unknown> {
  switch (name) {
    case 'failPoint': {
      const client = state.entity(args.client) as MongoClient;
      await client.db('admin').command(args.failPoint);
      state.failPoints.push({ client, name: args.failPoint.configureFailPoint });
      return undefined;
    }
    case 'targetedFailPoint': {
      // one server: the session's server is the only one
      const session = state.entity(args.session) as ClientSession;
      const client = (session as unknown as { client: MongoClient }).client;
      await client.db('admin').command(args.failPoint);
      state.failPoints.push({ client, name: args.failPoint.configureFailPoint });
      return undefined;
    }
    case 'assertSessionPinned':
      throw new MatchError('sessions are pinned only on sharded clusters');
    case 'assertSessionUnpinned':
      return undefined;
    case 'assertSessionTransactionState': {
      const session = state.entity(args.session) as ClientSession & { transaction: { state: string } };
      const s = session.transaction.state;
      const map: Record<string, string> = {
        NO_TRANSACTION: 'none',
        STARTING_TRANSACTION: 'starting',
        TRANSACTION_IN_PROGRESS: 'in_progress',
        TRANSACTION_COMMITTED: 'committed',
        TRANSACTION_COMMITTED_EMPTY: 'committed',
        TRANSACTION_ABORTED: 'aborted',
      };
      if ((map[s] ?? s) !== args.state) throw new MatchError(`session state ${s}, expected ${args.state}`);
      return undefined;
    }
    case 'assertSessionDirty':
    case 'assertSessionNotDirty': {
      const session = state.entity(args.session) as ClientSession & { serverSession?: { isDirty: boolean } };
      const dirty = !!session.serverSession?.isDirty;
      if (dirty !== (name === 'assertSessionDirty')) throw new MatchError(`session ${dirty ? 'is' : 'is not'} dirty`);
      return undefined;
    }
    case 'assertCollectionExists':
    case 'assertCollectionNotExists': {
      const names = (await state.internal.db(args.databaseName).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      if (names.includes(args.collectionName) !== (name === 'assertCollectionExists')) throw new MatchError(`collection ${args.databaseName}.${args.collectionName} ${name === 'assertCollectionExists' ? 'missing' : 'exists'}`);
      return undefined;
    }
    case 'assertIndexExists':
    case 'assertIndexNotExists': {
      const names = (await state.internal.db(args.databaseName).collection(args.collectionName).listIndexes().toArray().catch(() => [])).map((i) => i.name);
      if (names.includes(args.indexName) !== (name === 'assertIndexExists')) throw new MatchError(`index ${args.indexName} ${name === 'assertIndexExists' ? 'missing' : 'exists'}`);
      return undefined;
    }
    case 'assertSameLsidOnLastTwoCommands':
    case 'assertDifferentLsidOnLastTwoCommands': {
      const ce = state.clients.get(args.client)!;
      const started = ce.events.filter((e) => e.type === 'commandStartedEvent').map((e) => (e.event as CommandStartedEvent).command.lsid);
      const [a, b] = started.slice(-2);
      const same = EJSON.stringify(a) === EJSON.stringify(b);
      if (same !== (name === 'assertSameLsidOnLastTwoCommands')) throw new MatchError(`lsids are ${same ? 'the same' : 'different'}`);
      return undefined;
    }
    case 'createEntities':
      await state.createEntities(args.entities);
      return undefined;
  }
  throw new UnsupportedError(`unsupported test-runner operation '${name}'`);
}

async function executeOperation(state: TestState, op: Operation): Promise<void> {
  let result: unknown;
  let error: unknown;
  try {
    result = await runOperation(state, op);
  } catch (err) {
    if (err instanceof UnsupportedError) throw err;
    if (err instanceof MatchError && op.object === 'testRunner') throw err;
    error = err;
  }
  if (op.ignoreResultAndError) return;
  if (op.expectError) {
    if (error === undefined) throw new MatchError(`${op.name}: expected an error, got ${EJSON.stringify(result as never, { relaxed: true })}`);
    checkError(state, op.expectError, error);
    return;
  }
  if (error !== undefined) throw error;
  if (op.saveResultAsEntity) state.entities.set(op.saveResultAsEntity, result);
  if (op.expectResult !== undefined) {
    const actual = result === null ? null : normaliseResult(result);
    assertMatches(op.expectResult, actual, state, `${op.name} result`);
  }
}

function normaliseResult(result: unknown): unknown {
  if (result && typeof result === 'object' && 'acknowledged' in result) {
    const { acknowledged: _a, ...rest } = result as Document;
    void _a;
    return rest;
  }
  return result;
}

function checkError(state: TestState, expected: Document, err: unknown): void {
  const e = err as MongoServerError & { errorResponse?: Document };
  const server = err instanceof MongoServerError || err instanceof MongoBulkWriteError;
  if (expected.isClientError === true && server) throw new MatchError(`expected a client error, got server error ${e.code}: ${e.message}`);
  if (expected.isClientError === false && !server) throw new MatchError(`expected a server error, got ${String(e?.message ?? e)}`);
  if (expected.errorContains && !String(e.message).toLowerCase().includes(String(expected.errorContains).toLowerCase())) {
    throw new MatchError(`error '${e.message}' does not contain '${expected.errorContains}'`);
  }
  const code = e.code ?? (e as unknown as { writeErrors?: Array<{ code: number }> }).writeErrors?.[0]?.code;
  if (expected.errorCode !== undefined && code !== Number(expected.errorCode)) throw new MatchError(`error code ${code} (${e.message}), expected ${expected.errorCode}`);
  if (expected.errorCodeName !== undefined && e.codeName !== expected.errorCodeName) throw new MatchError(`error codeName ${e.codeName} (${e.message}), expected ${expected.errorCodeName}`);
  for (const label of expected.errorLabelsContain ?? []) {
    if (!e.hasErrorLabel?.(label)) throw new MatchError(`error lacks label ${label}: ${JSON.stringify(e.errorLabels)}`);
  }
  for (const label of expected.errorLabelsOmit ?? []) {
    if (e.hasErrorLabel?.(label)) throw new MatchError(`error has label ${label}`);
  }
  if (expected.expectResult !== undefined) {
    const partial = (err as MongoBulkWriteError).result;
    assertMatches(expected.expectResult, partial ? bulkResult(partial as unknown as Document) : undefined, state, 'error result');
  }
  if (expected.errorResponse !== undefined) assertMatches(expected.errorResponse, e.errorResponse ?? e, state, 'errorResponse');
  if (expected.isTimeoutError) throw new UnsupportedError('timeout errors (CSOT) are not checked');
}

function checkEvents(state: TestState, expectations: NonNullable<SpecTest['expectEvents']>): void {
  for (const exp of expectations) {
    if (exp.eventType && exp.eventType !== 'command') throw new UnsupportedError(`${exp.eventType} events are not observed`);
    const ce = state.clients.get(exp.client);
    if (!ce) throw new Error(`unknown client ${exp.client}`);
    const actual = ce.events.filter((e) => ce.observe.has(e.type));
    if (exp.ignoreExtraEvents ? actual.length < exp.events.length : actual.length !== exp.events.length) {
      throw new MatchError(`${exp.client}: expected ${exp.events.length} events, got ${actual.length}: ${actual.map((a) => `${a.type.replace('Event', '')}:${a.event.commandName}`).join(', ')}`);
    }
    exp.events.forEach((expected, i) => {
      const [type, spec] = Object.entries(expected)[0] as [string, Document];
      const got = actual[i];
      const where = `event ${i} (${got.type}:${got.event.commandName})`;
      if (got.type !== type) throw new MatchError(`${where}: expected ${type}`);
      if (spec.commandName !== undefined && got.event.commandName !== spec.commandName) throw new MatchError(`${where}: expected command ${spec.commandName}`);
      if (spec.databaseName !== undefined && (got.event as CommandStartedEvent).databaseName !== spec.databaseName) throw new MatchError(`${where}: expected database ${spec.databaseName}`);
      if (spec.command !== undefined) assertMatches(spec.command, (got.event as CommandStartedEvent).command, state, `${where}.command`);
      if (spec.reply !== undefined) assertMatches(spec.reply, (got.event as CommandSucceededEvent).reply, state, `${where}.reply`);
      if (spec.hasServiceId !== undefined || spec.hasServerConnectionId !== undefined) {
        if (spec.hasServiceId === true) throw new MatchError(`${where}: no serviceId outside load balancers`);
        if (spec.hasServerConnectionId === true && (got.event as CommandStartedEvent).serverConnectionId == null) throw new MatchError(`${where}: no serverConnectionId`);
      }
    });
  }
}

async function prepareData(internal: MongoClient, file: SpecFile): Promise<void> {
  for (const data of file.initialData ?? []) {
    const db = internal.db(data.databaseName);
    await db.dropCollection(data.collectionName, { writeConcern: { w: 'majority' } }).catch(() => undefined);
    await db.createCollection(data.collectionName, { writeConcern: { w: 'majority' }, ...(data.createOptions ?? {}) });
    if (data.documents.length) await db.collection(data.collectionName).insertMany(data.documents, { writeConcern: { w: 'majority' } });
  }
}

async function checkOutcome(state: TestState, outcome: NonNullable<SpecTest['outcome']>): Promise<void> {
  for (const o of outcome) {
    const docs = await state.internal.db(o.databaseName).collection(o.collectionName).find({}, { sort: { _id: 1 }, readConcern: { level: 'local' } }).toArray();
    assertMatches(o.documents, docs, state, `outcome ${o.databaseName}.${o.collectionName}`, true);
  }
}

export type Verdict = { status: 'passed' } | { status: 'failed'; reason: string } | { status: 'skipped'; reason: string };

/** Runs one test of a file: its entities, data, operations, events and outcome. */
export async function runTest(file: SpecFile, test: SpecTest, server: ServerInfo, internal: MongoClient): Promise<Verdict> {
  const unmet = unmetRequirements(file.runOnRequirements, server) ?? unmetRequirements(test.runOnRequirements, server);
  if (unmet) return { status: 'skipped', reason: unmet };
  if (test.skipReason) return { status: 'skipped', reason: test.skipReason };
  const state = new TestState(server, internal);
  let timer: NodeJS.Timeout | undefined;
  try {
    const body = async () => {
      await prepareData(internal, file);
      await state.createEntities(file.createEntities ?? []);
      for (const op of test.operations) await executeOperation(state, op);
      if (test.expectEvents) checkEvents(state, test.expectEvents);
      if (test.outcome) await checkOutcome(state, test.outcome);
    };
    // A test waiting for an event the server never sends fails instead of stalling the suite.
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new MatchError(`no result within ${TEST_TIMEOUT_MS} ms`)), TEST_TIMEOUT_MS);
    });
    await Promise.race([body(), timeout]);
    return { status: 'passed' };
  } catch (err) {
    const e = err as Error & { code?: number };
    return { status: 'failed', reason: `${e.constructor?.name ?? 'Error'}: ${e.code !== undefined ? `(${e.code}) ` : ''}${e.message}`.slice(0, 400) };
  } finally {
    clearTimeout(timer);
    await state.close();
  }
}

/** The longest a spec test may take here (they take well under a second; a few wait for a reconnect). */
const TEST_TIMEOUT_MS = 5000;
