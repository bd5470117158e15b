/**
 * embedded-mongo: an in-process MongoDB-compatible server (wire protocol, replica-set primary
 * handshake) for tests and zero-config development. See README.md.
 */
import { EmbeddedServer } from './server.js';
import type { EmbeddedMongoOptions } from './server.js';

export type { EmbeddedMongoOptions };
export { EmbeddedServer };

export interface EmbeddedMongo {
  /** Connection string, e.g. mongodb://127.0.0.1:PORT/?replicaSet=rs0 */
  uri: string;
  port: number;
  /** Closes every socket and timer and flushes the journal. Idempotent. */
  stop(): Promise<void>;
  /** The server instance (introspection, tests). */
  server: EmbeddedServer;
}

export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const server = new EmbeddedServer(options);
  await server.start();
  return { uri: server.uri, port: server.port, stop: () => server.stop(), server };
}
