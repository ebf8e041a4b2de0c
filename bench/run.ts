/**
 * The benchmarks of the batch pipeline (README → Benchmarks): real Temporal dev server, real moto, the
 * model server in benchmark mode and the production worker in its own process; batches started through
 * the schedule. Writes BENCHMARKS.json, BENCHMARKS.md and BENCHMARKS.png.
 *   npm run bench [-- --only capacity --images 200]   (--help lists every option)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startBenchStack } from './bench-stack';
import { describeMachine, loadAverage } from './machine';
import { parseBenchOptions } from './options';
import { writeReport } from './report/write-report';
import type { BenchResults } from './results';
import { measureCapacity } from './scenarios/capacity';
import { measureEmptyQueue } from './scenarios/empty-queue';
import { measureOverhead } from './scenarios/overhead';
import { measureReceivers } from './scenarios/receivers';
import { measureScale } from './scenarios/scale';
import { measureSharedWorkers } from './scenarios/shared-workers';

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

/** Test runs of other work on this machine, which compete for its cores. */
function runningTestProcesses(): string[] {
  try {
    return execFileSync('pgrep', ['-fa', 'jest'], { encoding: 'utf8' }).trim().split('\n');
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

async function main(): Promise<void> {
  const options = parseBenchOptions(process.argv.slice(2));
  const results: BenchResults = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    machine: describeMachine(),
    concurrentTestProcesses: runningTestProcesses(),
    load: { start: loadAverage(), end: Number.NaN },
    options,
  };
  if (results.concurrentTestProcesses.length > 0) {
    log(
      `warning: tests are running on this machine, figures will be low:\n  ${results.concurrentTestProcesses.join('\n  ')}`,
    );
  }
  mkdirSync(options.out, { recursive: true });
  // Saved after every scenario, so a long run that fails late keeps what it measured.
  const save = () =>
    writeFileSync(join(options.out, 'BENCHMARKS.json'), `${JSON.stringify(results, null, 2)}\n`);
  const stack = await startBenchStack(log);
  try {
    if (options.only.includes('empty')) {
      results.emptyQueue = await measureEmptyQueue(stack, log);
      save();
    }
    if (options.only.includes('capacity')) {
      results.capacity = [];
      for (const capacity of options.capacities) {
        for (const localAwsCalls of options.localAwsCalls) {
          results.capacity.push(await measureCapacity(stack, capacity, { ...options, localAwsCalls }, log));
          save();
        }
      }
    }
    if (options.only.includes('overhead')) {
      results.overhead = await measureOverhead(stack, options, log);
      save();
    }
    if (options.only.includes('receivers')) {
      results.receivers = await measureReceivers(stack, options, log);
      save();
    }
    if (options.only.includes('workers')) {
      results.sharedWorkers = await measureSharedWorkers(
        stack,
        {
          images: options.workersImages,
          receivers: options.receivers,
          rateLimit: options.workersRateLimit,
          concurrency: options.concurrency,
          workers: options.workers,
        },
        log,
      );
      save();
    }
    // Last: the longest by far, so that a run cut short keeps every other figure.
    if (options.only.includes('scale')) {
      results.scale = await measureScale(
        stack,
        { images: options.scaleImages, concurrency: options.concurrency },
        log,
      );
    }
  } finally {
    await stack.close();
  }
  results.finishedAt = new Date().toISOString();
  results.load = { start: results.load?.start ?? Number.NaN, end: loadAverage() };
  results.concurrentTestProcessesAtEnd = runningTestProcesses();
  save();
  await writeReport(results, options.out);
  log(`wrote BENCHMARKS.json, BENCHMARKS.md and BENCHMARKS.png in ${options.out}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
