/** Handshake, authentication and administrative commands. */
import type { Doc } from '../bson/codec.js';
import { ObjectId, isPlainDoc } from '../bson/codec.js';
import { MongoError } from '../errors.js';
import type { CmdContext, Handler } from './context.js';
import type { AuthState } from '../auth/scram.js';
import { MECHANISM } from '../auth/scram.js';

export const MAX_WIRE_VERSION = 21; // MongoDB 7.0; driver 7 needs >= 9 (MIN_SUPPORTED_WIRE_VERSION)
export const SERVER_VERSION = '7.0.0';
const ELECTION_ID = new ObjectId('7fffffff0000000000000001');

export const hello: Handler = (cmd, ctx) => {
  const s = ctx.server;
  const r: Doc = {
    helloOk: true,
    ismaster: true,
    isWritablePrimary: true,
    maxBsonObjectSize: 16 * 1024 * 1024,
    maxMessageSizeBytes: 48_000_000,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.conn?.id ?? 0,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
  };
  if (s.replicaSetName) {
    const me = s.advertisedHost;
    Object.assign(r, {
      setName: s.replicaSetName,
      setVersion: 1,
      hosts: [me],
      primary: me,
      me,
      secondary: false,
      electionId: ELECTION_ID,
      lastWrite: { lastWriteDate: new Date(), majorityWriteDate: new Date() },
    });
  }
  // the client's appName, which a test fail point may select
  const appName = isPlainDoc(cmd.client) && isPlainDoc(cmd.client.application) ? cmd.client.application.name : undefined;
  if (ctx.conn && typeof appName === 'string') ctx.conn.state.appName = appName;
  const auth = s.authenticator;
  if (auth) {
    const mechs = auth.supportedMechs(cmd.saslSupportedMechs);
    if (mechs) r.saslSupportedMechs = mechs;
    // The driver's first SCRAM step rides on the handshake; a refused one is simply not answered
    // (the driver then authenticates with saslStart and gets the error there).
    const spec = cmd.speculativeAuthenticate;
    if (isPlainDoc(spec) && ctx.conn && typeof spec.db === 'string') {
      try {
        r.speculativeAuthenticate = auth.saslStart(spec, spec.db, authState(ctx));
      } catch {
        /* see above */
      }
    }
  }
  // No `topologyVersion` (it would switch the driver to the streaming protocol) and no
  // `compression` (so OP_COMPRESSED is never used).
  r.ok = 1;
  return r;
};

export const ping: Handler = () => ({ ok: 1 });

export const buildInfo: Handler = () => ({
  version: SERVER_VERSION,
  gitVersion: 'embedded-mongo',
  versionArray: [7, 0, 0, 0],
  bits: 64,
  debug: false,
  maxBsonObjectSize: 16 * 1024 * 1024,
  storageEngines: ['embedded'],
  modules: [],
  javascriptEngine: 'none',
  ok: 1,
});

export const getParameter: Handler = (cmd, ctx) => {
  const r: Doc = {};
  const all = cmd.getParameter === '*' || (isPlainDoc(cmd.getParameter) && cmd.getParameter.allParameters);
  const known: Doc = {
    featureCompatibilityVersion: { version: '7.0' },
    transactionLifetimeLimitSeconds: 60,
    maxTransactionLockRequestTimeoutMillis: 5,
    authenticationMechanisms: ctx.server.authenticator ? [MECHANISM] : [],
    logLevel: 0,
  };
  for (const k of Object.keys(known)) if (all || cmd[k] !== undefined) r[k] = known[k];
  if (Object.keys(r).length === 0) throw new MongoError(72, 'no option found to get');
  r.ok = 1;
  return r;
};

export const serverStatus: Handler = (_cmd, ctx) => ({
  host: ctx.server.advertisedHost,
  version: SERVER_VERSION,
  process: 'embedded-mongo',
  pid: process.pid,
  uptime: Math.floor((Date.now() - ctx.server.startedAt) / 1000),
  localTime: new Date(),
  connections: { current: ctx.server.connectionCount, available: 1_000_000, totalCreated: ctx.server.connectionCount },
  transactions: { currentActive: ctx.store.activeTxns.size },
  storageEngine: { name: 'embedded', persistent: !!ctx.server.options.dataDir },
  ok: 1,
});

/** The connection's authentication state (kept on the connection, as mongod keeps it per client). */
export function authState(ctx: CmdContext): AuthState {
  const state = ctx.conn?.state as { auth?: AuthState } | undefined;
  if (!state) return {};
  return (state.auth ??= {});
}

export const saslStart: Handler = (cmd, ctx) => {
  const auth = ctx.server.authenticator;
  if (!auth) throw new MongoError(334, `Received authentication for mechanism ${String(cmd.mechanism)} which is not enabled`);
  return auth.saslStart(cmd, ctx.db, authState(ctx));
};

export const saslContinue: Handler = (cmd, ctx) => {
  const auth = ctx.server.authenticator;
  if (!auth) throw new MongoError(17, 'No SASL session state found');
  return auth.saslContinue(cmd, authState(ctx));
};

export const connectionStatus: Handler = (_c, ctx) => {
  const user = authState(ctx).user;
  const users = user ? [{ user: user.slice(user.indexOf('.') + 1), db: user.slice(0, user.indexOf('.')) }] : [];
  const roles = user ? [{ role: 'root', db: 'admin' }] : [];
  return { authInfo: { authenticatedUsers: users, authenticatedUserRoles: roles }, ok: 1 };
};
export const whatsmyuri: Handler = (_c, ctx) => ({ you: ctx.conn?.remote ?? '', ok: 1 });
export const hostInfo: Handler = () => ({ system: { hostname: 'embedded-mongo', numCores: 1 }, os: { type: process.platform }, extra: {}, ok: 1 });
export const getCmdLineOpts: Handler = () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 });
export const replSetGetStatus: Handler = (_c, ctx) => {
  if (!ctx.server.replicaSetName) throw new MongoError(76, 'not running with --replSet');
  return {
    set: ctx.server.replicaSetName,
    myState: 1,
    members: [{ _id: 0, name: ctx.server.advertisedHost, health: 1, state: 1, stateStr: 'PRIMARY', self: true }],
    ok: 1,
  };
};

export const dbStats: Handler = (_c, ctx) => {
  const colls = ctx.store.listCollections(ctx.db);
  const objects = colls.reduce((n, c) => n + c.size, 0);
  return { db: ctx.db, collections: colls.length, views: 0, objects, indexes: colls.reduce((n, c) => n + c.indexes.length, 0), dataSize: objects * 256, storageSize: objects * 256, ok: 1 };
};
