import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
import { ConnectionString } from 'mongodb-connection-string-url';
import type { Config } from '../../lib/config.js';
import type { Logger } from '../../lib/logger.js';

/** Which database the service is talking to; /readyz reports it. */
export type Backend = 'mongodb' | 'mongodb-memory-server' | 'embedded';

export interface Database {
  backend: Backend;
  /** the URI without credentials, safe to log */
  safeUri: string;
  connection: Connection;
  ping(): Promise<void>;
  close(): Promise<void>;
}

// Operator objects that arrive from input are wrapped in $eq; operators built on purpose use mongoose.trusted().
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

/** A server the service cannot run on, with what to do about it. */
export class UnsupportedDeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedDeploymentError';
  }
}

/**
 * Picks the database, in order: MONGODB_URI (production); mongodb-memory-server when a mongod
 * binary is already on this machine; otherwise the project's embedded wire-protocol server.
 * The database is always DB_NAME: a path in the URI names only where the credentials live
 * (the driver's default authSource), as it does for every MongoDB tool.
 */
export async function connectDatabase(config: Readonly<Config>, logger: Logger): Promise<Database> {
  let backend: Backend;
  let uri: string;
  let stopServer: () => Promise<void> = async () => {};

  if (config.mongodbUri) {
    backend = 'mongodb';
    uri = config.mongodbUri;
  } else {
    const binary = findMongodBinary(config);
    if (binary) {
      backend = 'mongodb-memory-server';
      const { MongoMemoryReplSet } = await import('mongodb-memory-server-core');
      const replSet = await MongoMemoryReplSet.create({
        binary: { systemBinary: binary },
        replSet: { count: 1, storageEngine: 'wiredTiger' },
      });
      uri = replSet.getUri();
      stopServer = async () => {
        await replSet.stop();
      };
    } else {
      backend = 'embedded';
      const { startEmbeddedMongo } = await import('../../embedded-mongo/index.js');
      const dataDir = path.join(config.dataDir, 'db');
      await fs.promises.mkdir(dataDir, { recursive: true });
      // Any local process can reach a loopback port: the embedded server asks for a password too.
      const credentials = await embeddedCredentials(config.dataDir, logger);
      // In a worker thread: the server's work and its heap's GC pauses stay off the app's event loop
      // and use the machine's other core.
      const server = await startEmbeddedMongo({ dataDir, thread: true, auth: { users: [credentials] } });
      uri = withCredentials(server.uri, credentials);
      stopServer = () => server.stop();
    }
  }

  const connection = mongoose.createConnection(uri, {
    dbName: config.dbName,
    serverSelectionTimeoutMS: 10_000,
    // Indexes are reconciled once, deliberately, at start-up (models/reconcile-indexes.ts), not
    // built in the background by each model as it is compiled.
    autoIndex: false,
  });
  const safeUri = redactUri(uri);
  try {
    await connection.asPromise();
    await checkTopology(connection, safeUri);
  } catch (err) {
    await connection.close().catch(() => {});
    await stopServer();
    throw err;
  }
  logger.info('database connected', { backend, uri: safeUri, db: connection.name });

  return {
    backend,
    safeUri,
    connection,
    async ping() {
      await connection.db!.admin().command({ ping: 1 });
    },
    async close() {
      await connection.close();
      await stopServer();
    },
  };
}

/**
 * Every change is written in a transaction, and other instances learn of changes through change
 * streams: both need a replica set (or a sharded cluster through mongos). On a standalone server
 * every write would fail with a 500, so the service refuses to start and says what to do instead.
 */
async function checkTopology(connection: Connection, safeUri: string): Promise<void> {
  const hello = await connection.db!.admin().command({ hello: 1 });
  if (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') return;
  throw new UnsupportedDeploymentError(
    [
      `MONGODB_URI (${safeUri}) points at a standalone MongoDB server; this service needs a replica set,`,
      'because it writes in transactions and follows changes through change streams.',
      'A one-member replica set is enough on a laptop: start mongod with --replSet rs0, run',
      "mongosh --eval 'rs.initiate()' once, and add ?replicaSet=rs0 to MONGODB_URI.",
      'Or leave MONGODB_URI empty to use the embedded database.',
    ].join('\n'),
  );
}

/** Where the embedded database's credentials live, under DATA_DIR. */
export const CREDENTIALS_FILE = 'db-credentials.json';

interface Credentials {
  user: string;
  password: string;
}

/**
 * The embedded database's credentials: made on the first start and kept in DATA_DIR, readable by
 * the service's user only (0600), so the same password opens the same data on every start.
 * A file that others may read is narrowed back to 0600, with a warning.
 */
export async function embeddedCredentials(dataDir: string, logger: Logger): Promise<Credentials> {
  const file = path.join(dataDir, CREDENTIALS_FILE);
  await fs.promises.mkdir(dataDir, { recursive: true });
  const fresh: Credentials = { user: 'pwni-tracker', password: crypto.randomBytes(24).toString('base64url') };
  try {
    // 'wx': two instances starting on one folder never overwrite each other's password
    await fs.promises.writeFile(file, `${JSON.stringify(fresh, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    logger.info('embedded database credentials created', { file });
    return fresh;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stat = await fs.promises.stat(file);
  if ((stat.mode & 0o077) !== 0) {
    await fs.promises.chmod(file, 0o600);
    logger.warn('embedded database credentials were readable by others; now 0600', { file });
  }
  const stored = JSON.parse(await fs.promises.readFile(file, 'utf8')) as Partial<Credentials>;
  if (typeof stored.user !== 'string' || typeof stored.password !== 'string' || !stored.user || !stored.password) {
    throw new Error(`${file} does not hold { "user", "password" }: remove it to have new credentials made`);
  }
  return { user: stored.user, password: stored.password };
}

function withCredentials(uri: string, credentials: Credentials): string {
  const cs = new ConnectionString(uri);
  cs.username = encodeURIComponent(credentials.user);
  cs.password = encodeURIComponent(credentials.password);
  cs.searchParams.set('authSource', 'admin');
  return cs.toString();
}

/** The URI without its password, safe to log. */
export function redactUri(uri: string): string {
  try {
    return new ConnectionString(uri).redact({ replacementString: '***' }).toString();
  } catch {
    return uri.replace(/\/\/[^@/]*@/, '//***@');
  }
}

/** mongodb-memory-server would try to download a binary (about 7.5 s, then fail, here): only use it when one is present. */
function findMongodBinary(config: Readonly<Config>): string | undefined {
  if (config.mongomsSystemBinary) return fs.existsSync(config.mongomsSystemBinary) ? config.mongomsSystemBinary : undefined;
  const caches = [
    path.resolve('node_modules/.cache/mongodb-memory-server'),
    path.join(os.homedir(), '.cache', 'mongodb-binaries'),
  ];
  for (const dir of caches) {
    const found = findFile(dir, /^mongod(-[\w.-]+)?$/, 3);
    if (found) return found;
  }
  return undefined;
}

function findFile(dir: string, pattern: RegExp, depth: number): string | undefined {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const e of entries) {
    const full = path.join(dir, e.name);
    if (e.isFile() && pattern.test(e.name)) return full;
    if (e.isDirectory() && depth > 0) {
      const inner = findFile(full, pattern, depth - 1);
      if (inner) return inner;
    }
  }
  return undefined;
}
