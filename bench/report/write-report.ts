import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResults } from '../results';
import { renderChart } from './chart';
import { benchmarksMarkdown, summaryTable } from './markdown';

/** Hand-written analysis of the committed run, appended to the generated figures. */
const FINDINGS = join(__dirname, 'findings.md');

/** Writes BENCHMARKS.md and BENCHMARKS.png into `dir` and prints the summary table. */
export async function writeReport(results: BenchResults, dir: string): Promise<void> {
  const findings = existsSync(FINDINGS) ? readFileSync(FINDINGS, 'utf8') : '';
  writeFileSync(join(dir, 'BENCHMARKS.md'), benchmarksMarkdown(results, findings));
  await renderChart(results, join(dir, 'BENCHMARKS.png'));
  console.log(`\n${summaryTable(results)}\n`);
}
