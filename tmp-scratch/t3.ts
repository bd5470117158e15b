import { startEmbeddedMongo } from '../embedded-mongo/index.js';
for (let i = 0; i < 6; i++) {
  const t0 = performance.now();
  const db = await startEmbeddedMongo({ thread: true });
  const t1 = performance.now();
  await db.stop();
  console.log('start', (t1 - t0).toFixed(0), 'ms; stop', (performance.now() - t1).toFixed(0), 'ms');
}
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const db = await startEmbeddedMongo({});
  const t1 = performance.now();
  await db.stop();
  console.log('in-process start', (t1 - t0).toFixed(0), 'ms; stop', (performance.now() - t1).toFixed(0), 'ms');
}
