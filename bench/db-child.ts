import { startEmbeddedMongo } from '../embedded-mongo/index.js';

/** Runs the embedded server until the parent closes stdin; prints `URI <uri>` when ready. */
const server = await startEmbeddedMongo({});
process.stdout.write(`URI ${server.uri}\n`);
process.stdin.resume();
process.stdin.on('end', async () => {
  await server.stop();
  process.exit(0);
});
