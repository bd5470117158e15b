import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose, { type Connection } from 'mongoose';
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

const DEFAULT_DB_NAME = 'agreement_tracker';

/**
 * Picks the database, in order: MONGODB_URI (production); mongodb-memory-server when a mongod
 * binary is already on this machine; otherwise the project's embedded wire-protocol server.
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
      // In a worker thread: the server's work and its heap's GC pauses stay off the app's event loop
      // and use the machine's other core.
      const server = await startEmbeddedMongo({ dataDir, thread: true });
      uri = server.uri;
      stopServer = () => server.stop();
    }
  }

  const connection = mongoose.createConnection(uri, {
    dbName: hasDbName(uri) ? undefined : DEFAULT_DB_NAME,
    serverSelectionTimeoutMS: 10_000,
  });
  try {
    await connection.asPromise();
  } catch (err) {
    await stopServer();
    throw err;
  }
  const safeUri = uri.replace(/\/\/[^@/]*@/, '//***@');
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

function hasDbName(uri: string): boolean {
  const afterHosts = uri.replace(/^mongodb(\+srv)?:\/\/[^/]*/, '');
  const name = afterHosts.replace(/^\//, '').split('?')[0];
  return name.length > 0;
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
