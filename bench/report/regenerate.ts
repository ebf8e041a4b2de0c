/**
 * Rewrites BENCHMARKS.md and BENCHMARKS.png from BENCHMARKS.json without measuring again (after editing
 * bench/report/findings.md or the report code).   npm run bench:report [-- DIR]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from '../../src/local/stack/python-tools';
import type { BenchResults } from '../results';
import { writeReport } from './write-report';

const dir = process.argv[2] ?? PROJECT_DIR;
const results = JSON.parse(readFileSync(join(dir, 'BENCHMARKS.json'), 'utf8')) as BenchResults;
writeReport(results, dir).catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
