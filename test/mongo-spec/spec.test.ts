/**
 * MongoDB's own specification tests (unified test format) against the embedded server, through
 * the real driver. The files are read at test time from ../shared/mongo-spec-tests (or
 * MONGO_SPEC_TESTS_DIR) and never copied into this repository; when the folder is absent the
 * suite says so and is skipped.
 *
 * One mocha test per area. Each asserts that every applicable spec test passes except those
 * listed, with their reason, in known-failures.ts (so a regression fails the suite, and so does a
 * listed test that passes: the list stays exact), and that the pass rate stays at or above the area's floor.
 * Counts per area are printed; `MONGO_SPEC_VERBOSE=1` prints every failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type InProcessEmbeddedMongo } from '../../embedded-mongo/index.js';
import { parseSpecFile, runTest, type ServerInfo, type Verdict } from './unified-runner.js';
import { KNOWN_FAILURES, PASS_RATE_FLOOR } from './known-failures.js';

const SPEC_DIR = path.resolve(process.env.MONGO_SPEC_TESTS_DIR ?? findSpecDir(process.cwd()));

/** ../shared/mongo-spec-tests from the repository, or from a folder above it (a git worktree one level deeper). */
function findSpecDir(repo: string): string {
  const first = path.join(repo, '..', 'shared', 'mongo-spec-tests');
  for (let dir = path.dirname(repo); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'mongo-spec-tests');
    if (fs.existsSync(candidate)) return candidate;
  }
  return first;
}
const AREAS = ['crud', 'transactions', 'change-streams', 'sessions', 'retryable-writes', 'index-management', 'collection-management', 'command-monitoring'];
const VERBOSE = !!process.env.MONGO_SPEC_VERBOSE;

interface AreaResult {
  passed: string[];
  failed: Array<{ key: string; reason: string }>;
  skipped: number;
}

describe('MongoDB specification tests (unified format) on the embedded server', function () {
  this.timeout(300_000);
  let server: InProcessEmbeddedMongo | undefined;
  let internal: MongoClient | undefined;
  let info: ServerInfo;
  const present = fs.existsSync(SPEC_DIR);

  before(async function () {
    if (!present) {
      console.log(`      MongoDB's specification tests are not at ${SPEC_DIR} (set MONGO_SPEC_TESTS_DIR): skipped`);
      this.skip();
    }
    if (process.env.MONGODB_URI) {
      console.log('      the specification suite measures the embedded server; skipped with MONGODB_URI');
      this.skip();
    }
    // in-process, with the test commands (configureFailPoint) that mongod enables with enableTestCommands
    server = await startEmbeddedMongo({ testCommands: true });
    internal = await MongoClient.connect(server.uri);
    const build = await internal.db('admin').command({ buildInfo: 1 });
    info = { uri: server.uri, version: build.version, topology: 'replicaset', auth: false };
  });

  after(async () => {
    await internal?.close();
    await server?.stop();
  });

  for (const area of AREAS) {
    it(`${area}: every applicable test passes but the known failures`, async function () {
      const dir = path.join(SPEC_DIR, area);
      if (!fs.existsSync(dir)) this.skip();
      const result: AreaResult = { passed: [], failed: [], skipped: 0 };
      for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
        const file = parseSpecFile(fs.readFileSync(path.join(dir, name), 'utf8'));
        for (const test of file.tests) {
          const key = `${area}/${name} › ${test.description}`;
          const started = Date.now();
          const verdict: Verdict = await runTest(file, test, info, internal!);
          if (VERBOSE && Date.now() - started > 1000) console.log(`        slow (${Date.now() - started} ms): ${key}`);
          if (verdict.status === 'passed') result.passed.push(key);
          else if (verdict.status === 'failed') result.failed.push({ key, reason: verdict.reason });
          else result.skipped++;
        }
      }
      const applicable = result.passed.length + result.failed.length;
      const rate = applicable ? result.passed.length / applicable : 1;
      console.log(`      ${area}: ${result.passed.length} of ${applicable} applicable passed (${(rate * 100).toFixed(1)}%), ${result.skipped} not applicable to ${info.version} ${info.topology}`);
      const unexpected = result.failed.filter((f) => !KNOWN_FAILURES.has(f.key));
      const nowPassing = result.passed.filter((k) => KNOWN_FAILURES.has(k));
      if (VERBOSE) for (const f of result.failed) console.log(`        ✗ ${f.key}\n          ${f.reason}`);
      for (const k of nowPassing) console.log(`        now passing (remove from known-failures.ts): ${k}`);
      expect(unexpected.map((f) => `${f.key}\n    ${f.reason}`), 'spec tests that passed before fail now').to.deep.equal([]);
      expect(nowPassing, 'listed in known-failures.ts but passing now (take them off the list)').to.deep.equal([]);
      expect(rate, `${area} pass rate`).to.be.at.least(PASS_RATE_FLOOR[area] ?? 0);
    });
  }
});
