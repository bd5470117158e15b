// Mocha's spec output, then one closing line that CI reads: "N passed, N failed".
const Mocha = require('mocha');
const { Spec } = Mocha.reporters;
const { EVENT_RUN_END } = Mocha.Runner.constants;

class SummaryReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats || {};
      const pending = s.pending ? `, ${s.pending} skipped` : '';
      const line = `${s.passes || 0} passed, ${s.failures || 0} failed${pending}`;
      // kept for the root hook, which fails the run with these counts if something holds it open
      process.env.MOCHA_SUMMARY_COUNTS = `${s.passes || 0},${s.failures || 0},${s.pending || 0}`;
      // Printed after Spec's own epilogue, so it is the last line.
      setImmediate(() => process.stdout.write(`\n${line}\n`));
    });
  }
}

module.exports = SummaryReporter;
