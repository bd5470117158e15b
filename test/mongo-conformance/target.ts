/**
 * Which database the conformance suite talks to.
 *
 * - `MONGODB_URI` set: a real MongoDB (7/8). Every file gets its own database name and drops it
 *   in `after`, so files never see each other's data and nothing is left behind.
 * - otherwise: the embedded server, started once per file in `before` and stopped in `after`.
 *
 * Tests only ever use the mongoose / mongodb driver public APIs on what this returns, never the
 * server's internals, so every assertion must also hold on real MongoDB.
 *
 * (This helper reads process.env on purpose: it is test infrastructure, not app configuration.)
 *
 * Run only this suite:  npx mocha 'test/mongo-conformance/*.test.ts'
 * Against a real replica set: prefix it with MONGODB_URI='mongodb://host:27017/?replicaSet=rs0'.
 * Transaction and change-stream cases skip themselves when the server is not a replica set.
 */
import mongoose from 'mongoose';
import type { Connection } from 'mongoose';
import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';

export interface EmbeddedServer {
  uri: string;
  port: number;
  stop(): Promise<void>;
}

export interface Target {
  /** Connection string of the server (no database in the path). */
  uri: string;
  /** The database this file owns. */
  dbName: string;
  /** True when talking to the embedded server, false for MONGODB_URI. */
  embedded: boolean;
  /** True when the server is a replica-set member (transactions and change streams work). */
  replicaSet: boolean;
  /** Mongoose connection bound to `dbName`. */
  conn: Connection;
  /** The driver client behind `conn`. */
  client: MongoClient;
  /** Driver handle on `dbName`. */
  db: Db;
  /** Another connected client on the same server (closed by the `after` hook before the server stops). */
  openClient(options?: MongoClientOptions): Promise<MongoClient>;
}

let counter = 0;

/** A database name no other file (or earlier run) uses. */
export function uniqueDbName(label: string): string {
  const clean = label.replace(/[^a-z0-9]/gi, '_').slice(0, 24);
  return `conf_${clean}_${process.pid}_${Date.now().toString(36)}_${++counter}`;
}

/**
 * Starts the embedded server (imported lazily so MONGODB_URI runs don't need it), in a worker
 * thread as the app runs it, so the suite also covers that path.
 */
export async function startEmbedded(options: { dataDir?: string } = {}): Promise<EmbeddedServer> {
  const { startEmbeddedMongo } = await import('../../embedded-mongo/index.js');
  return startEmbeddedMongo({ ...options, thread: true });
}

/** Options every client in the suite uses: fail fast instead of the 30 s default. */
export const clientOptions = { serverSelectionTimeoutMS: 10_000 } as const;

/**
 * Options for the suite's mongoose connections. The app sets `sanitizeFilter` globally when its
 * modules load (they do in a full test run); the suite builds operator filters on purpose, and a
 * connection-level setting wins over the global one.
 */
export const mongooseOptions = { ...clientOptions, sanitizeFilter: false } as const;

/**
 * Registers `before`/`after` hooks in the calling `describe` and returns an object whose fields
 * are filled in by `before`. Call it at the top of a file's outermost `describe`.
 */
export function useTarget(label: string): Target {
  const target = {} as Target;
  let server: EmbeddedServer | undefined;
  const extraClients: MongoClient[] = [];
  target.openClient = async (options = {}) => {
    const client = new MongoClient(target.uri, { ...clientOptions, ...options });
    extraClients.push(client);
    await client.connect();
    return client;
  };

  before(async function () {
    this.timeout(60_000);
    const external = process.env.MONGODB_URI;
    if (external) {
      target.uri = external;
      target.embedded = false;
    } else {
      server = await startEmbedded();
      target.uri = server.uri;
      target.embedded = true;
    }
    target.dbName = uniqueDbName(label);
    target.conn = mongoose.createConnection(target.uri, { dbName: target.dbName, ...mongooseOptions });
    await target.conn.asPromise();
    target.client = target.conn.getClient();
    target.db = target.client.db(target.dbName);
    const hello = await target.db.admin().command({ hello: 1 });
    target.replicaSet = typeof hello.setName === 'string';
  });

  after(async function () {
    this.timeout(60_000);
    try {
      for (const client of extraClients.splice(0)) await client.close();
      if (target.db) await target.db.dropDatabase();
    } finally {
      try {
        if (target.conn) await target.conn.close();
      } finally {
        if (server) await server.stop();
        server = undefined;
      }
    }
  });

  return target;
}

/** Skips the current test (or hook's tests) unless the target is a replica set. */
export function requireReplicaSet(ctx: Mocha.Context, target: Target): void {
  if (!target.replicaSet) ctx.skip();
}
