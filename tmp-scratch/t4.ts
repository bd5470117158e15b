import { Worker } from 'node:worker_threads';
const api = import.meta.resolve('tsx/esm/api');
async function time(label: string, code: string) {
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const w = new Worker(code, { eval: true });
    w.on('message', () => { resolve(); void w.terminate(); });
    w.on('error', reject);
  });
  console.log(label, (performance.now() - t0).toFixed(0), 'ms');
}
const post = `require('worker_threads').parentPort.postMessage(1)`;
for (let i = 0; i < 2; i++) {
  await time('empty worker', post);
  await time('tsx register', `import(${JSON.stringify(api)}).then((m) => { m.register(); ${post} })`);
  await time('import bson+mingo (no tsx)', `Promise.all([import('bson'), import('mingo')]).then(() => { ${post} })`);
  await time('tsx + server.ts', `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(new URL('../embedded-mongo/server.ts', import.meta.url).href)}) }).then(() => { ${post} })`);
}
