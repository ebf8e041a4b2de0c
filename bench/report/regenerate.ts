/**
 * Rewrites BENCHMARKS.md and BENCHMARKS.png from BENCHMARKS.json without measuring again (after editing
 * bench/report/findings.md or the report code).   npm run bench:report [-- DIR]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from '../../src/local/stack/python-tools';
import { resultsFromJson } from '../results';
import { writeReport } from './write-report';

const dir = process.argv[2] ?? PROJECT_DIR;
const results = resultsFromJson(readFileSync(join(dir, 'BENCHMARKS.json'), 'utf8'));
writeReport(results, dir).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
