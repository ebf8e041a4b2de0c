import type { BatchRecord } from '../pipeline-scenario';
import type { BenchResults } from '../results';
import { OVERHEAD_GOAL } from '../scenarios/overhead';
import { f, imagesOf, pathOf } from './format';
import { CAPACITY_GOAL, CAPACITY_GOAL_TPS } from './goals';

/** Processes in the order the table shows them; `bench` is the benchmark itself (and the plain script). */
const PROCESSES = ['worker', 'temporal', 'moto', 'model', 'bench'];
/** The processes orchestration adds: what the plain script does without. */
const ORCHESTRATION = ['worker', 'temporal'];

interface CpuRow {
  run: string;
  images: number;
  imagesPerSecond: number;
  cpuSeconds: Record<string, number>;
  /** The wall-clock time the CPU was metered over. */
  wallSeconds: number;
  /** What the goal asks of this run: images/s, and the CPU ms per image that would reach it. */
  goal?: { imagesPerSecond: number; budgetMs: number };
}

const msPerImage = (row: CpuRow, names: string[]) =>
  (names.reduce((sum, name) => sum + (row.cpuSeconds[name] ?? 0), 0) * 1000) / row.images;
const totalMs = (row: CpuRow) => msPerImage(row, Object.keys(row.cpuSeconds));

function batchRow(run: string, batch: BatchRecord, goal: CpuRow['goal']): CpuRow {
  return {
    run: `${run}, ${pathOf(batch)}`,
    images: imagesOf(batch),
    imagesPerSecond: batch.metrics.imagesPerSecond,
    cpuSeconds: batch.cpuSeconds,
    // The meter runs from the trigger to the result in hand.
    wallSeconds: batch.triggerToResultSeconds,
    goal,
  };
}

function rowsOf(results: BenchResults): CpuRow[] {
  const rows: CpuRow[] = [];
  const o = results.overhead;
  if (o) {
    const plain: CpuRow = {
      run: 'plain script (CPU under `bench`), instant model',
      images: o.images,
      imagesPerSecond: o.plain.imagesPerSecond,
      cpuSeconds: o.plain.cpuSeconds,
      wallSeconds: o.plain.seconds,
    };
    rows.push(plain);
    // Where CPU limits both sides, images/s go as 1 ÷ CPU per image: the goal's budget is the script's ÷ 0.85.
    const goal = {
      imagesPerSecond: OVERHEAD_GOAL * o.plain.imagesPerSecond,
      budgetMs: totalMs(plain) / OVERHEAD_GOAL,
    };
    for (const { pipeline } of o.pipelines) rows.push(batchRow('pipeline, instant model', pipeline, goal));
  }
  const cores = results.machine.cores;
  for (const c of (results.capacity ?? []).filter((x) => x.capacity === CAPACITY_GOAL_TPS)) {
    const imagesPerSecond = CAPACITY_GOAL * c.capacity;
    rows.push(
      batchRow(`pipeline, ${c.capacity} TPS model`, c.batch, {
        imagesPerSecond,
        budgetMs: (cores * 1000) / imagesPerSecond,
      }),
    );
  }
  return rows;
}

/**
 * Where the CPU goes, per image and per process, in the runs the speed goals are set on, and what the
 * machine's cores allow: images/s ≤ cores × 1,000 ÷ (CPU ms per image) when the stack has them to itself.
 */
export function cpuSection(results: BenchResults): string[] {
  const rows = rowsOf(results);
  if (rows.length === 0) return [];
  const cores = results.machine.cores;
  const lines = [
    '## 9. Where the CPU goes',
    '',
    `CPU seconds (user + system, /proc, each process with its children) during each batch, per image. The ${cores} cores ` +
      `allow at most ${cores} × 1,000 ÷ (ms per image) images/s for the whole stack; "cores the stack got": its CPU seconds ` +
      'over the metered wall-clock time (trigger to result; the model’s start and stop included), less than ' +
      `${cores} when other work on the machine took the rest. "CPU budget for the goal": at 50 TPS the ms per image ` +
      `that reach 0.9 × 50 images/s on ${cores} whole cores; for the overhead, the plain script’s ms per image ÷ 0.85 ` +
      '(where CPU limits both sides, images/s go as 1 ÷ CPU per image). In production S3, SQS and the model run elsewhere: only ' +
      'the worker and the Temporal server (Temporal Cloud: not on the worker’s machine either) remain.',
    '',
    `| run | images/s | ${PROCESSES.join(' ms | ')} ms | total ms | worker + Temporal ms | cores the stack got | ceiling on ${cores} cores, images/s | goal images/s | CPU budget for the goal, ms |`,
    `| --- | --- | ${PROCESSES.map(() => '---').join(' | ')} | --- | --- | --- | --- | --- | --- |`,
  ];
  for (const row of rows) {
    const total = totalMs(row);
    const perProcess = PROCESSES.map((name) =>
      name in row.cpuSeconds ? f(msPerImage(row, [name]), 1) : '—',
    );
    lines.push(
      `| ${row.run} | ${f(row.imagesPerSecond, 1)} | ${perProcess.join(' | ')} | ${f(total, 1)} | ${f(msPerImage(row, ORCHESTRATION), 1)} | ${f((total * row.images) / 1000 / row.wallSeconds)} | ${f((cores * 1000) / total, 1)} | ${row.goal ? f(row.goal.imagesPerSecond, 1) : '—'} | ${row.goal ? f(row.goal.budgetMs, 1) : '—'} |`,
    );
  }
  const extra = [...new Set(rows.flatMap((row) => Object.keys(row.cpuSeconds)))].filter(
    (name) => !PROCESSES.includes(name),
  );
  lines.push(
    '',
    extra.length > 0 ? `Other processes measured are counted in the total: ${extra.join(', ')}.` : '',
    '',
  );
  return lines;
}
