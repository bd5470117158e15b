/**
 * `npm run test:mongodb -- <uri> [mocha arguments]`: the whole suite against a real MongoDB
 * deployment (a replica set; on a standalone, what needs one skips itself and says so).
 * Each test file works in databases of its own and drops them afterwards.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConnectionString } from 'mongodb-connection-string-url';

const [uri, ...mochaArgs] = process.argv.slice(2);
if (!uri || uri.startsWith('-')) {
  process.stderr.write('usage: npm run test:mongodb -- <mongodb uri> [mocha arguments]\n');
  process.stderr.write("  e.g. npm run test:mongodb -- 'mongodb://localhost:27017/?replicaSet=rs0'\n");
  process.exit(2);
}
try {
  new ConnectionString(uri);
} catch (err) {
  process.stderr.write(`not a MongoDB connection string: ${(err as Error).message}\n`);
  process.exit(2);
}
const files = mochaArgs.some((a) => !a.startsWith('-')) ? [] : ['test/**/*.test.ts'];
const child = spawn(process.execPath, [fileURLToPath(import.meta.resolve('mocha/bin/mocha.js')), ...files, ...mochaArgs], {
  stdio: 'inherit',
  env: { ...process.env, MONGODB_URI: uri },
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

