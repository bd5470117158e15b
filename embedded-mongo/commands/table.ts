/**
 * The command table: every command the server answers, with what dispatch needs to know about it.
 * A command not listed here answers 59 CommandNotFound. Adding a command is one row.
 */
import * as admin from './admin.js';
import type { Handler } from './context.js';
import * as crud from './crud.js';
import * as ddl from './ddl.js';
import { explain } from './explain.js';
import * as query from './query.js';
import * as sessions from './sessions.js';

export interface Command {
  handler: Handler;
  /** May run inside a multi-document transaction (otherwise 263 OperationNotSupportedInTransaction). */
  inTransaction?: boolean;
  /** commitTransaction / abortTransaction: resolve the session's transaction without starting or continuing one. */
  endsTransaction?: boolean;
  /** A retryable write: the same lsid + txnNumber sent twice answers the first execution's reply. */
  retryable?: boolean;
  /** Answers on a connection that has not authenticated (mongod's commands whose requiresAuth() is false). */
  withoutAuth?: boolean;
  /** Exists only with `testCommands`, as mongod's enableTestCommands. */
  testOnly?: boolean;
  /** Waits for its `writeConcern` (outside a transaction, or when it commits one): see write-concern.ts. */
  writeConcern?: boolean;
}

const configureFailPoint: Handler = (cmd, ctx) => ctx.server.failPoints.configure(cmd);

const table: Record<string, Command> = {
  // handshake, authentication, diagnostics
  hello: { handler: admin.hello, withoutAuth: true },
  isMaster: { handler: admin.hello, withoutAuth: true },
  ismaster: { handler: admin.hello, withoutAuth: true },
  ping: { handler: admin.ping, withoutAuth: true },
  buildInfo: { handler: admin.buildInfo, withoutAuth: true },
  buildinfo: { handler: admin.buildInfo, withoutAuth: true },
  saslStart: { handler: admin.saslStart, withoutAuth: true },
  saslContinue: { handler: admin.saslContinue, withoutAuth: true },
  connectionStatus: { handler: admin.connectionStatus, withoutAuth: true },
  getParameter: { handler: admin.getParameter },
  serverStatus: { handler: admin.serverStatus },
  whatsmyuri: { handler: admin.whatsmyuri },
  hostInfo: { handler: admin.hostInfo },
  getCmdLineOpts: { handler: admin.getCmdLineOpts },
  replSetGetStatus: { handler: admin.replSetGetStatus },
  dbStats: { handler: admin.dbStats },
  configureFailPoint: { handler: configureFailPoint, testOnly: true },

  // sessions and transactions
  endSessions: { handler: sessions.endSessions },
  killSessions: { handler: sessions.endSessions },
  killAllSessions: { handler: sessions.killAllSessions },
  refreshSessions: { handler: sessions.refreshSessions },
  commitTransaction: { handler: sessions.commitTransaction, endsTransaction: true, writeConcern: true },
  abortTransaction: { handler: sessions.abortTransaction, endsTransaction: true },

  // collections, databases and indexes
  create: { handler: ddl.create, inTransaction: true, writeConcern: true },
  createIndexes: { handler: ddl.createIndexes, inTransaction: true, writeConcern: true },
  drop: { handler: ddl.drop, writeConcern: true },
  dropDatabase: { handler: ddl.dropDatabase, writeConcern: true },
  listCollections: { handler: ddl.listCollections },
  listDatabases: { handler: ddl.listDatabases },
  renameCollection: { handler: ddl.renameCollection, writeConcern: true },
  collMod: { handler: ddl.collMod, writeConcern: true },
  listIndexes: { handler: ddl.listIndexes },
  dropIndexes: { handler: ddl.dropIndexes, writeConcern: true },
  deleteIndexes: { handler: ddl.dropIndexes, writeConcern: true },
  createSearchIndexes: { handler: ddl.searchIndexCommand },
  updateSearchIndex: { handler: ddl.searchIndexCommand },
  dropSearchIndex: { handler: ddl.searchIndexCommand },

  // writes
  insert: { handler: crud.insert, inTransaction: true, retryable: true, writeConcern: true },
  update: { handler: crud.update, inTransaction: true, retryable: true, writeConcern: true },
  delete: { handler: crud.del, inTransaction: true, retryable: true, writeConcern: true },
  findAndModify: { handler: crud.findAndModify, inTransaction: true, retryable: true, writeConcern: true },
  findandmodify: { handler: crud.findAndModify, inTransaction: true, retryable: true, writeConcern: true },

  // reads and cursors
  find: { handler: query.find, inTransaction: true },
  getMore: { handler: query.getMore, inTransaction: true },
  killCursors: { handler: query.killCursors, inTransaction: true },
  aggregate: { handler: query.aggregate, inTransaction: true, writeConcern: true },
  distinct: { handler: query.distinct, inTransaction: true },
  count: { handler: query.count },
  explain: { handler: explain },
};

/** Looked up by the command's first field; a Map, so names such as `toString` are not found. */
export const COMMANDS: ReadonlyMap<string, Command> = new Map(Object.entries(table));
