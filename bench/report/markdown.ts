import {
  temporalActionsCostUsd,
  TEMPORAL_CLOUD_USD_PER_MILLION_ACTIONS,
} from '../../src/cost/temporal-actions';
import { costLines } from '../../src/cost/cost-text';
import type { BatchRecord } from '../pipeline-scenario';
import { OVERHEAD_GOAL, type OverheadFigure } from '../scenarios/overhead';
import {
  HOLD_SECONDS,
  REPLACED_DESIGN_STATE_MACHINE,
  START_POLL_SECONDS,
} from '../../src/cost/replaced-design';
import { parseBenchOptions, type BenchOptions } from '../options';
import type { BenchResults } from '../results';
import { costSection } from './cost-section';
import { cpuSection } from './cpu-section';
import { f, met, pathOf } from './format';
import { goalsTable } from './goals';
import { scaleOutSections } from './scale-out-section';
const IDLE_TARGET_SECONDS = 10;
const CAPACITY_TARGET = 0.95;

function cpuLine(cpuSeconds: Record<string, number>): string {
  return Object.entries(cpuSeconds)
    .map(([name, seconds]) => `${name} ${f(seconds, 1)}`)
    .join(', ');
}

/** The batch's Temporal Cloud actions by kind, per image and priced; empty for results recorded before. */
function actionsText(batch: BatchRecord): string {
  const actions = batch.actions;
  if (!actions) return '';
  const kinds = Object.entries(actions.byKind)
    .filter(([, count]) => count > 0)
    .map(([kind, count]) => `${kind} ${count}`)
    .join(', ');
  const perImage = batch.actionsPerImage;
  const priced =
    perImage === undefined
      ? ''
      : `, ${f(perImage)} per image: $${f(temporalActionsCostUsd(perImage * 1000), 3)} per 1,000 images at $${TEMPORAL_CLOUD_USD_PER_MILLION_ACTIONS} per million`;
  return `; Temporal Cloud actions ${actions.total} (${kinds})${priced}`;
}

function batchDetails(batch: BatchRecord): string {
  return (
    `${pathOf(batch)}, CONCURRENCY ${batch.concurrency}, DETECT_RATE_LIMIT ${batch.detectRateLimit}, STATUS_POLL_INTERVAL ${batch.statusPollInterval}; ` +
    `${batch.counts.messages} messages (${batch.counts.processed} processed, ${batch.counts.failed} failed); ` +
    `${batch.eventsPerRun.length} run(s); CPU seconds during the batch: ${cpuLine(batch.cpuSeconds)}; ` +
    `load average ${f(batch.load[0])} → ${f(batch.load[1])}${actionsText(batch)}${costText(batch)}`
  );
}

/** The batch's cost per 1,000 images with its parts, and the replaced design's; empty for results recorded before. */
function costText(batch: BatchRecord): string {
  return batch.cost ? `; ${costLines(batch.cost).join('; ')}` : '';
}

/** The summary table: every figure, its baseline and the ratio. */
export function summaryTable(results: BenchResults): string {
  const rows: string[] = [
    '| # | figure | measured | baseline | ratio | target |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  // The pipeline with an instant, uncapped model (figure 3): as fast as this machine runs the whole stack.
  const machineCeiling = Math.max(
    ...(results.overhead?.pipelines ?? []).map(({ pipeline }) => pipeline.metrics.imagesPerSecond),
  );
  /** A missed capacity target, with why when the machine could not run the stack that fast at all. */
  const verdict = (ok: boolean, capacity: number) =>
    ok || !Number.isFinite(machineCeiling) || capacity * CAPACITY_TARGET <= machineCeiling
      ? met(ok)
      : `${met(ok)} (${CAPACITY_TARGET} × ${capacity} TPS is above this machine's ceiling, ${f(machineCeiling, 1)} images/s with an instant model: figure 3)`;
  for (const c of results.capacity ?? []) {
    const m = c.batch.metrics;
    rows.push(
      `| 1 | throughput at capacity ${c.capacity} TPS (${m.messages} images), ${pathOf(c.batch)} | ${f(m.imagesPerSecond)} images/s, ${c.imagesFailed} failed, ${m.throttled} calls throttled | capacity ${c.capacity}/s | ${f(c.ratio, 3)} | ≥ ${CAPACITY_TARGET}, 0 failed: ${verdict(c.ratio >= CAPACITY_TARGET && c.imagesFailed === 0, c.capacity)} |`,
    );
  }
  for (const c of results.capacity ?? []) {
    const m = c.batch.metrics;
    rows.push(
      `| 2 | billed-but-idle model time, ${c.capacity} TPS batch, ${pathOf(c.batch)} | ${f(m.idleSeconds, 1)} s of ${f(m.runningSeconds, 1)} s RUNNING | replaced design: ${f(c.replacedDesign.idleSeconds, 0)} s idle of ${f(c.replacedDesign.runningSeconds, 0)} s | ${f(m.idleSeconds / c.replacedDesign.idleSeconds, 4)} | ≤ ${IDLE_TARGET_SECONDS} s: ${verdict(m.idleSeconds <= IDLE_TARGET_SECONDS, c.capacity)} |`,
    );
  }
  const o = results.overhead;
  for (const { pipeline, ratio } of o?.pipelines ?? []) {
    rows.push(
      `| 3 | orchestration overhead, uncapped instant model (${o!.images} images, concurrency ${o!.concurrency}), ${pathOf(pipeline)} | pipeline ${f(pipeline.metrics.imagesPerSecond, 1)} images/s | plain script ${f(o!.plain.imagesPerSecond, 1)} images/s | ${f(ratio, 3)} | ≥ ${OVERHEAD_GOAL}: ${met(ratio >= OVERHEAD_GOAL)} |`,
    );
  }
  const s = results.scale;
  if (s) {
    const b = s.batch;
    rows.push(
      `| 4 | scale (${b.counts.messages} images): last 1,000 | ${f(s.lastThousandImagesPerSecond, 1)} images/s | first 1,000: ${f(s.firstThousandImagesPerSecond, 1)} images/s | ${f(s.ratio, 3)} | — |`,
      `| 4 | scale: peak worker memory | ${f(b.workerPeakMiB, 0)} MiB | worker ready, before the batch: ${f(b.workerIdleMiB, 0)} MiB | ${f(b.workerPeakMiB / b.workerIdleMiB)} | — |`,
      `| 4 | scale: history events per run | at most ${s.maxEventsPerRun} (mean ${f(b.eventsPerRun.reduce((a, x) => a + x, 0) / b.eventsPerRun.length, 0)}) over ${b.eventsPerRun.length} runs | Temporal's limit ${s.historyEventLimit} | ${f(s.maxEventsPerRun / s.historyEventLimit, 3)} | — |`,
      `| 4 | scale: continue-as-new | ${b.continuedAsNew} | — | — | — |`,
    );
  }
  const e = results.emptyQueue;
  if (e) {
    rows.push(
      `| 5 | empty queue: trigger to completed run | ${f(e.triggerToCompletedSeconds)} s, ${e.modelCalls} model calls | one queue count from a script: ${f(e.plainQueueCountSeconds * 1000, 1)} ms | ${f(e.ratio, 0)} | 0 model calls: ${met(e.modelCalls === 0)} |`,
    );
  }
  return rows.join('\n');
}

function capacitySection(results: BenchResults): string[] {
  if (!results.capacity?.length) return [];
  const lines = [
    '## 1 and 2. Throughput against capacity; billed-but-idle model time',
    '',
    'The model server in benchmark mode serves `capacity` DetectCustomLabels calls/s on one inference unit ' +
      '(token bucket, `ProvisionedThroughputExceededException` above) and works on one call at a time, 1/capacity s each, so a model ' +
      'fed at its capacity is busy all the time, as a real one is. The pipeline runs with `DETECT_RATE_LIMIT` = ' +
      `${f(results.capacity[0].batch.detectRateLimit / results.capacity[0].capacity, 1)} × capacity (README: Temporal's limiter ` +
      'dispatches a little under its rate; throttled calls are retried after 200 ms). Images/s are counted from the first ReceiveMessage to the last DeleteMessage (Temporal history). ' +
      'RUNNING, busy (≥ 1 inference in flight) and idle time come from the server’s `GET /local/usage`; a RUNNING ' +
      'interval ends at the StopProjectVersion request, so start and stop transitions are excluded.',
    '',
    '| capacity | LOCAL_AWS_CALLS | images | images/s | ratio | detect tasks waiting in their queue, s | throttled calls | failed | RUNNING s | busy s | idle s | of which: start lag | tail | longest gap between messages s | continue-as-new handovers s | replaced design RUNNING s | replaced design idle s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const c of results.capacity) {
    const m = c.batch.metrics;
    lines.push(
      `| ${c.capacity} | ${c.batch.localAwsCalls ?? false} | ${m.messages} | ${f(m.imagesPerSecond)} | ${f(c.ratio, 3)} | ${f(c.detectDispatch.backlogSeconds, 1)} | ${m.throttled} | ${c.imagesFailed} | ${f(m.runningSeconds, 1)} | ${f(m.busySeconds, 1)} | ${f(m.idleSeconds, 1)} | ${f(m.startLagSeconds, 1)} | ${f(m.tailSeconds, 1)} | ${f(m.longestGapSeconds, 1)} | ${f(m.handoverSeconds, 1)} | ${f(c.replacedDesign.runningSeconds, 0)} | ${f(c.replacedDesign.idleSeconds, 0)} |`,
    );
  }
  lines.push('');
  for (const c of results.capacity)
    lines.push(`- ${c.capacity} TPS, ${pathOf(c.batch)}: ${batchDetails(c.batch)}.`);
  lines.push(
    '',
    'Start lag: from RUNNING until the batch’s first receive (the status poll noticing RUNNING). Tail: from the ' +
      'last message finished to the stop request. The replaced design ' +
      `([its state machine](${REPLACED_DESIGN_STATE_MACHINE})) polls the starting model every ${START_POLL_SECONDS} s ` +
      `and then holds it ${HOLD_SECONDS.toLocaleString('en-US')} s per look at the queue; its figures are computed ` +
      `for the same model start (${results.capacity[0].modelStartSeconds} s), processing time and busy time.`,
    '',
    '![Throughput against capacity; model RUNNING time split into busy and idle](BENCHMARKS.png)',
    '',
  );
  return lines;
}

/** The pipeline with the worker's metrics endpoint on against off, when measured. */
function metricsOnLines({ metricsOn: on }: OverheadFigure): string[] {
  if (!on) return [];
  return [
    `- pipeline again with the worker's metrics endpoint on (METRICS_BIND_ADDRESS), scraped every second (${on.scrapes} scrapes): ${f(on.pipeline.metrics.imagesPerSecond, 1)} images/s (${f(on.pipeline.metrics.processingSeconds, 1)} s); ${batchDetails(on.pipeline)}`,
    `- metrics on ÷ off (${pathOf(on.pipeline)}): **${f(on.ratio, 3)}** (one run each, off first)`,
  ];
}

function overheadSection(results: BenchResults): string[] {
  const o = results.overhead;
  if (!o) return [];
  return [
    '## 3. Orchestration overhead',
    '',
    'The model answers at once and never throttles. A plain concurrent Node script (bench/plain-pipeline.ts: the ' +
      'same SQS, Rekognition and S3 calls, the same concurrency and receive rule, no Temporal, no retries) and the ' +
      'pipeline (once per LOCAL_AWS_CALLS value) each process the same number of freshly uploaded images, one after the ' +
      'other in this run.',
    '',
    `- plain script: ${f(o.plain.imagesPerSecond, 1)} images/s (${f(o.plain.seconds, 1)} s); CPU seconds: ${cpuLine(o.plain.cpuSeconds)}; load average ${f(o.plain.load[0])} → ${f(o.plain.load[1])}`,
    ...o.pipelines.flatMap(({ pipeline, ratio }) => [
      `- pipeline, ${pathOf(pipeline)}: ${f(pipeline.metrics.imagesPerSecond, 1)} images/s (${f(pipeline.metrics.processingSeconds, 1)} s); ${batchDetails(pipeline)}`,
      `- ratio, ${pathOf(pipeline)}: **${f(ratio, 3)}** (goal ≥ ${OVERHEAD_GOAL})`,
    ]),
    ...metricsOnLines(o),
    '',
  ];
}

function scaleSection(results: BenchResults): string[] {
  const s = results.scale;
  if (!s) return [];
  const b = s.batch;
  return [
    '## 4. Scale',
    '',
    `One batch of ${b.images} images against the uncapped instant model, ${pathOf(b)}.`,
    '',
    `- throughput: first 1,000 ${f(s.firstThousandImagesPerSecond, 1)} images/s, last 1,000 ${f(s.lastThousandImagesPerSecond, 1)} images/s (ratio ${f(s.ratio, 3)}); whole batch ${f(b.metrics.imagesPerSecond, 1)} images/s over ${f(b.metrics.processingSeconds, 0)} s`,
    `- peak worker memory (RSS): ${f(b.workerPeakMiB, 0)} MiB (${f(b.workerIdleMiB, 0)} MiB when ready)`,
    `- continue-as-new handovers (last message of a run to first of the next), summed: ${f(b.metrics.handoverSeconds, 1)} s of ${f(b.metrics.processingSeconds, 0)} s`,
    `- history events per run: at most ${s.maxEventsPerRun}, over ${b.eventsPerRun.length} runs (limit ${s.historyEventLimit}); continue-as-new: ${b.continuedAsNew}`,
    `- ${batchDetails(b)}`,
    '',
  ];
}

function emptyQueueSection(results: BenchResults): string[] {
  const e = results.emptyQueue;
  if (!e) return [];
  return [
    '## 5. Empty queue',
    '',
    `- trigger (schedule trigger, as \`run\` does) to the completed run’s result: ${f(e.triggerToCompletedSeconds)} s; ` +
      `baseline, one queue count from a script: ${f(e.plainQueueCountSeconds * 1000, 1)} ms`,
    `- model calls (start, stop and detect activities in the history + starts and inferences the model server recorded): ${e.modelCalls}; free DescribeProjectVersions calls: ${e.modelDescribes ?? 0} (an empty-queue batch checks for a model a terminated run left up)`,
    `- activities scheduled: ${JSON.stringify(e.batch.activities)}; load average ${f(e.batch.load[0])} → ${f(e.batch.load[1])}${actionsText(e.batch)}`,
    '',
  ];
}

/** The options this run changed from `npm run bench`'s defaults, said plainly (a smaller run says so). */
function nonDefaultText(options: BenchOptions): string {
  const defaults = parseBenchOptions([]);
  const changed = (Object.keys(defaults) as Array<keyof BenchOptions>).filter(
    (key) => key !== 'out' && JSON.stringify(options[key]) !== JSON.stringify(defaults[key]),
  );
  if (changed.length === 0) return ' All are the defaults.';
  return ` **Not the defaults:** ${changed
    .map((key) => `${key} ${JSON.stringify(options[key])} (default ${JSON.stringify(defaults[key])})`)
    .join(', ')}.`;
}

/** What else used the machine: jest runs found at the start and end, and the load average then. */
function machineShareText(results: BenchResults): string {
  const atStart = results.concurrentTestProcesses.length;
  const atEnd = results.concurrentTestProcessesAtEnd?.length;
  const tests =
    atStart > 0 || (atEnd ?? 0) > 0
      ? `**Other tests were running on the machine** (jest processes: ${atStart} when this run began${atEnd === undefined ? '' : `, ${atEnd} when it ended`}): figures are lower than on an idle machine; every ratio is against a baseline measured in this same run.`
      : 'No other test run was active when this run began or ended (`pgrep -fa jest`).';
  const load = results.load
    ? ` 1-minute load average ${f(results.load.start)} at the start, ${f(results.load.end)} at the end (each batch’s own is in its line).`
    : '';
  return tests + load;
}

/** BENCHMARKS.md: generated from one run's results, followed by the hand-written findings. */
export function benchmarksMarkdown(results: BenchResults, findings: string): string {
  const m = results.machine;
  const o = results.options;
  return [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) from BENCHMARKS.json; run ${results.startedAt} – ${results.finishedAt}.`,
    `Machine: ${m.cores} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}. ${machineShareText(results)}`,
    '',
    'Real parts: a Temporal dev server (`temporal server start-dev`, in memory, default dynamic config), moto ' +
      '(S3 and SQS, through src/local/stack/moto_server.py: atomic SQS deletes, no per-call scans of the queue; see ' +
      'findings), the project’s model server in benchmark mode in its ' +
      'own process, and the production worker (`custom-labels-batch worker`) in its own process; every batch is ' +
      'started through its Temporal Schedule (`startBatchNow`) and followed to its end.',
    `Options: \`${JSON.stringify(o)}\`.${nonDefaultText(o)}`,
    '',
    '## Issue 13 goals (cost and scale)',
    '',
    goalsTable(results),
    '',
    '## Summary',
    '',
    summaryTable(results),
    '',
    ...capacitySection(results),
    ...overheadSection(results),
    ...scaleSection(results),
    ...emptyQueueSection(results),
    ...costSection(results),
    ...scaleOutSections(results),
    ...cpuSection(results),
    findings.trim(),
    '',
  ].join('\n');
}
