// Prints the run's totals as one plain line, `jest: N passed, N failed[, N skipped]`, the closing
// line CI reads to tell a run that tested something from one that ran nothing (.ci/run repeats it last).
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const line = `jest: ${results.numPassedTests} passed, ${results.numFailedTests} failed${skipped ? `, ${skipped} skipped` : ''}`;
    process.stderr.write(`\n${line}\n`);
  }
}
module.exports = SummaryReporter;
