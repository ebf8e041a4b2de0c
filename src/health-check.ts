import { healthProblem } from './worker-health';

// The image's HEALTHCHECK, `node lib/health-check.js [file]` (default: $WORKER_HEALTH_FILE, as the worker),
// kept apart from the CLI so that a check every 30 s loads one small file, not the Temporal and AWS SDKs.
const file = process.argv[2] ?? process.env.WORKER_HEALTH_FILE;
const problem = file
  ? healthProblem(file)
  : 'no health file: give its path, or set WORKER_HEALTH_FILE as for the worker.';
if (problem) {
  console.error(problem);
  process.exitCode = 1;
}
