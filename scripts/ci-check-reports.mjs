// Fails CI when a vitest JSON report shows no tests, skipped tests or failures, so a missing
// browser, database or Redis can never pass as green. Prints the plain closing line CI reads.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let problems = 0;
for (const file of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = report.numPendingTests + report.numTodoTests;
  console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (report.numTotalTests === 0 || skipped > 0 || report.numFailedTests > 0 || !report.success) {
    console.error(`  ✗ ${file} must run every test and pass them all`);
    problems += 1;
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(problems === 0 ? 0 : 1);
