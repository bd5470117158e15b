#!/usr/bin/env node
/**
 * Runs the TypeScript build only when dist/ is missing or older than what it is built from, so
 * `npm start` after `npm install` (or after a source change) builds, and a plain restart does not.
 *
 * "Older" compares modification times with the stamp written after the last successful build:
 * the compiled folders (files and the folders themselves, so a deleted or renamed file counts),
 * the tsconfig files, package.json and node_modules/.package-lock.json (which every `npm install`
 * and `npm ci` rewrites). A rebuild starts from an empty dist/ so removed sources leave no output.
 * Plain JavaScript with no dependencies: it must run before anything is compiled. `--force` always
 * builds (`npm run build`).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stamp = path.join(dist, '.build-stamp');
const buildConfig = path.join(root, 'tsconfig.build.json');

/** The folders tsconfig.build.json compiles; read from it so the two lists cannot drift apart. */
function compiledFolders() {
  const text = fs.readFileSync(buildConfig, 'utf8');
  const include = JSON.parse(text).include;
  if (!Array.isArray(include)) throw new Error('tsconfig.build.json has no "include" list');
  return include.map((entry) => path.join(root, String(entry).replace(/\/\*.*$/, '')));
}

/** The newest modification time under `target` (files and folders), 0 when it does not exist. */
function newest(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  let latest = stat.mtimeMs;
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(target)) latest = Math.max(latest, newest(path.join(target, entry)));
  }
  return latest;
}

function staleReason() {
  let built;
  try {
    built = fs.statSync(stamp).mtimeMs;
  } catch {
    return 'no build yet';
  }
  const inputs = [
    ...compiledFolders(),
    path.join(root, 'tsconfig.json'),
    buildConfig,
    path.join(root, 'package.json'),
    path.join(root, 'node_modules', '.package-lock.json'),
  ];
  for (const input of inputs) {
    if (newest(input) > built) return `${path.relative(root, input)} changed since the last build`;
  }
  return undefined;
}

const reason = process.argv.includes('--force') ? 'asked for' : staleReason();
if (!reason) {
  process.stdout.write('Build is up to date (dist/)\n');
  process.exit(0);
}
process.stdout.write(`Building (${reason})...\n`);
const startedAt = new Date();
fs.rmSync(dist, { recursive: true, force: true });
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const child = spawn(process.execPath, [tsc, '-p', buildConfig], { cwd: root, stdio: 'inherit' });
// A supervisor stopping `npm start` during the build stops the compiler too, not just this script.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
const [status, signal] = await new Promise((resolve) => child.on('exit', (code, sig) => resolve([code, sig])));
if (status !== 0) {
  process.stderr.write(`Build failed${signal ? ` (${signal})` : ''}; dist/ is not usable\n`);
  process.exit(status ?? 1);
}
// Stamped with the time the build started: a file edited while tsc ran counts as newer next time.
fs.writeFileSync(stamp, `${startedAt.toISOString()}\n`);
fs.utimesSync(stamp, startedAt, startedAt);
process.stdout.write('Build done\n');
