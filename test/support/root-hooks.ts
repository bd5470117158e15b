import { MongoClient } from 'mongodb';
import { stopSharedServer } from './db.js';

/** Folders whose tests run the whole service, which refuses a standalone server. */
const NEEDS_REPLICA_SET = ['/test/integration/', '/test/browser/'];

/**
 * Mocha root hooks: on `npm run test:mongodb` with a standalone server, the tests of the service
 * are skipped with a message (the conformance suite skips its own transaction and change-stream
 * cases); at the end, close what the whole run shared, so mocha exits by itself.
 */
export const mochaHooks = {
  async beforeAll(this: Mocha.Context) {
    const uri = process.env.MONGODB_URI;
    if (!uri) return;
    const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
    let hello;
    try {
      hello = await client.db('admin').command({ hello: 1 });
    } finally {
      await client.close();
    }
    if (typeof hello.setName === 'string' || hello.msg === 'isdbgrid') return;
    const skipped = skipSuites(this.test!.parent!, (file) => NEEDS_REPLICA_SET.some((dir) => file.includes(dir)));
    console.log(
      `\n  MONGODB_URI is a standalone server: the service needs a replica set (transactions, change streams),\n` +
        `  so ${skipped} test files under ${NEEDS_REPLICA_SET.join(', ')} are skipped. A one-member replica set is enough.\n`,
    );
  },
  async afterAll() {
    await stopSharedServer();
    // Whatever still holds the event loop now keeps mocha from exiting, and CI would wait for it
    // until its time runs out. That is a defect of the tests (a server, socket or worker left
    // running), so the run fails: name what is open so the test that left it can be found, and
    // count it as one more failure in the closing line CI reads.
    setTimeout(() => {
      const held = (process as unknown as { _getActiveHandles(): Array<{ hasRef?: () => boolean; constructor: { name: string } } & Record<string, unknown>> })
        ._getActiveHandles()
        .filter((h) => h.hasRef?.() !== false)
        .map((h) => `${h.constructor.name}${typeof h.localPort === 'number' ? ` port ${h.localPort}` : ''}${typeof h.remotePort === 'number' ? ` -> ${h.remotePort}` : ''}`);
      console.error(`\n  Failure: the run did not end by itself; 10 s after the last test these were still open: ${held.join(', ') || '(nothing referenced)'}`);
      const [passed = 0, failed = 0, skipped = 0] = (process.env.MOCHA_SUMMARY_COUNTS ?? '').split(',').map(Number);
      process.stdout.write(`\n${passed} passed, ${failed + 1} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
      process.exit(1);
    }, 10_000).unref();
  },
};

/** Marks every suite whose file matches as pending, with its hooks removed (they would start the service). */
function skipSuites(root: Mocha.Suite, matches: (file: string) => boolean): number {
  const files = new Set<string>();
  const visit = (suite: Mocha.Suite) => {
    if (suite.file && matches(suite.file.replace(/\\/g, '/'))) {
      files.add(suite.file);
      suite.pending = true;
      const hooks = suite as unknown as Record<'_beforeAll' | '_beforeEach' | '_afterAll' | '_afterEach', unknown[]>;
      hooks._beforeAll = [];
      hooks._beforeEach = [];
      hooks._afterAll = [];
      hooks._afterEach = [];
    }
    suite.suites.forEach(visit);
  };
  visit(root);
  return files.size;
}
