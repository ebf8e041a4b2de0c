import { healthProblem } from './worker-health';

// The image's HEALTHCHECK, `node lib/health-check.js <file>`, kept apart from the CLI so that a check
// every 30 s loads one small file instead of the Temporal and AWS SDKs.
const file = process.argv[2];
const problem = file ? healthProblem(file) : 'usage: node lib/health-check.js <the worker --health-file>';
if (problem) {
  console.error(problem);
  process.exitCode = 1;
}
