/**
 * The service as a supervisor runs it: the README's start command, stopped by SIGTERM sent to the
 * process that was started (systemd, Docker and CI signal only that one).
 */
import { expect } from 'chai';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import { startEmbeddedMongo } from '../../embedded-mongo/index.js';
import { loadConfig } from '../../lib/config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The first command block of the README, so this test follows the README if it changes. */
function readmeStartCommand(): string[] {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const block = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  const first = block.split('\n')[0].replace(/#.*$/, '').trim();
  const start = first.split('&&').map((s) => s.trim()).find((s) => s.startsWith('npm start'));
  if (!start) throw new Error(`no "npm start" in the README's first command: ${first}`);
  return start.split(/\s+/);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Every process below `pid` (ps works on Linux and macOS alike). */
function descendants(pid: number): number[] {
  const rows = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift()!;
    for (const [child, ppid] of rows) {
      if (ppid === parent) {
        found.push(child);
        queue.push(child);
      }
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface Started {
  child: ChildProcess;
  /** the processes below the started one once it listened */
  tree: number[];
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `command` and resolves once it prints its listening line (or fails with what it printed). */
async function start(command: string[], env: NodeJS.ProcessEnv): Promise<Started> {
  const child = spawn(command[0], command.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk) => (text += chunk));
  child.stderr!.on('data', (chunk) => (text += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/Agreement tracker listening on/.test(text)) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(check, 100);
    void exited.then(({ code, signal }) => {
      clearInterval(timer);
      reject(new Error(`${command.join(' ')} ended (${code ?? signal}) before listening:\n${text}`));
    });
  });
  return { child, tree: descendants(child.pid!), output: () => text, exited };
}

describe('service lifecycle: started by the README command, stopped by its supervisor', function () {
  // The first start on a fresh clone compiles the TypeScript sources (about a minute on a busy machine).
  this.timeout(300_000);

  let dataDir: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let running: Started | undefined;

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tracker-lifecycle-'));
    port = await freePort();
    // The zero-configuration start the README describes, in a folder of its own.
    env = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', DEMO_DATA: 'true' };
    for (const name of ['MONGODB_URI', 'NODE_ENV', 'REMINDERS_ENABLED']) delete env[name];
  });

  afterEach(async () => {
    // A failed assertion must not leave a server behind, even one its parent orphaned.
    if (running) {
      for (const pid of [...running.tree, running.child.pid!]) if (alive(pid)) process.kill(pid, 'SIGKILL');
      await running.exited;
    }
    running = undefined;
  });

  after(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('when the process `npm start` started gets SIGTERM, then the service closes its port, its database and every child, and exits 0', async () => {
    running = await start(readmeStartCommand(), env);
    expect(await portAccepts(port)).to.equal(true);
    const { tree } = running;
    expect(tree.length, 'npm runs the service in a child process').to.be.greaterThan(0);
    const loaded = Number(/Loaded (\d+) demo agreements/.exec(running.output())?.[1]);
    const backend = /\(database: ([\w-]+)\)/.exec(running.output())?.[1];

    running.child.kill('SIGTERM');
    const { code, signal } = await running.exited;
    expect({ code, signal }, running.output()).to.deep.equal({ code: 0, signal: null });

    expect(await portAccepts(port), 'port still open').to.equal(false);
    expect(tree.filter(alive), 'processes left running').to.deep.equal([]);
    expect(running.output()).to.match(/"msg":"stopped"/);

    if (backend !== 'embedded') return; // a mongod found on this machine keeps no data folder here
    const dbDir = path.join(dataDir, 'db');
    expect(fs.existsSync(path.join(dbDir, 'LOCK')), 'the data folder is still locked').to.equal(false);
    const reopened = await startEmbeddedMongo({ dataDir: dbDir });
    // The database the service chose from the same settings.
    const connection = mongoose.createConnection(reopened.uri, { dbName: loadConfig(env).dbName });
    try {
      await connection.asPromise();
      expect(loaded).to.be.greaterThan(0);
      expect(await connection.db!.collection('agreements').countDocuments()).to.equal(loaded);
    } finally {
      await connection.close();
      await reopened.stop();
    }
  });

  it('when it starts again with nothing changed, then it does not rebuild, and it stops the same way', async () => {
    const stamp = path.join(root, 'dist', '.build-stamp');
    const builtAt = fs.statSync(stamp).mtimeMs;
    running = await start(readmeStartCommand(), env);
    expect(running.output()).to.include('Build is up to date');
    expect(running.output()).not.to.include('Loaded ');
    expect(fs.statSync(stamp).mtimeMs).to.equal(builtAt);

    running.child.kill('SIGTERM');
    expect(await running.exited).to.deep.equal({ code: 0, signal: null });
    expect(await portAccepts(port)).to.equal(false);
  });

  it('when node runs the build directly (a container\'s PID 1) and gets SIGTERM, then it exits 0 with its port closed', async () => {
    running = await start([process.execPath, 'dist/server/index.js'], env);
    expect(running.tree, 'the service runs in one process').to.deep.equal([]);
    running.child.kill('SIGTERM');
    expect(await running.exited).to.deep.equal({ code: 0, signal: null });
    expect(await portAccepts(port)).to.equal(false);
  });
});
