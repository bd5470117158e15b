import { spawn } from 'node:child_process';
import { expect } from 'chai';

/**
 * The test run itself: CI reads the last line and waits for the process to end, so a run that
 * prints its closing line but stays alive (a database server or worker thread left running)
 * would hold CI until its time runs out.
 */
describe('the test harness', function () {
  this.timeout(180_000);

  it('when a spec file loaded with import() uses the shared database, then mocha ends by itself with the closing line last', async () => {
    const run = await runMocha(['test/support/harness/uses-database.spec.ts']);
    expect(run.stderr).not.to.match(/did not end by itself|still open/);
    const lines = run.stdout.trim().split('\n');
    expect(lines.at(-1)).to.equal('1 passed, 0 failed');
    expect(run.code).to.equal(0);
  });
});

function runMocha(files: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    // MONGODB_URI passes through, so on `npm run test:mongodb` the child uses the same deployment
    const child = spawn(process.execPath, ['node_modules/mocha/bin/mocha.js', ...files], {
      env: { ...process.env, MOCHA_SUMMARY_COUNTS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
