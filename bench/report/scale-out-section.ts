import type { BenchResults } from '../results';
import { TARGET_IMAGES_PER_SECOND } from '../scenarios/receivers';
import { f } from './format';

function receiversSection(results: BenchResults): string[] {
  const r = results.receivers;
  if (!r) return [];
  const lines = [
    '## 7. One batch past one workflow execution: receivers',
    '',
    `The same batch against the instant model (concurrency ${r.concurrency}), in the batch's own execution (RECEIVERS 1) ` +
      'and fanned out to receiver child workflows, each path. Events per second per execution: its events (every run of ' +
      'its continue-as-new chain) over its lifetime. This machine reaches far below 200 images/s, so the rate there is ' +
      'computed from the measured events per image.',
    '',
    '| LOCAL_AWS_CALLS | RECEIVERS | images/s | events per image (all executions) | events/s per execution (runs) |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const run of r.runs) {
    const executions = run.executions
      .map((e) => `${e.workflowId} ${f(e.eventsPerSecond, 0)} (${e.runs})`)
      .join(', ');
    lines.push(
      `| ${run.localAwsCalls} | ${run.receivers} | ${f(run.imagesPerSecond, 1)} | ${f(run.eventsPerImage, 1)} | ${executions} |`,
    );
  }
  lines.push(
    '',
    `At ${TARGET_IMAGES_PER_SECOND} images/s (20 inference units × 10 TPS; RECEIVERS derives ${r.derivedReceiversAtTarget} ` +
      'for it from DETECT_RATE_LIMIT 240 and CONCURRENCY 800), from the measured events per image (one execution: the ' +
      'RECEIVERS 1 run’s; several: the fanned-out run’s, its parent’s events included); a run lasts ' +
      `CONTINUE_AS_NEW_AFTER_EVENTS (${r.continueAsNewAfterEvents.toLocaleString('en-US')}) ÷ events/s seconds before it continues as new:`,
    '',
    '| LOCAL_AWS_CALLS | executions sharing the work | events/s per execution | seconds per run |',
    '| --- | --- | --- | --- |',
    ...r.atTarget.map(
      (t) =>
        `| ${t.localAwsCalls} | ${t.receivers} | ${f(t.eventsPerSecondPerExecution, 0)} | ${f(r.continueAsNewAfterEvents / t.eventsPerSecondPerExecution, 1)} |`,
    ),
    '',
    'Temporal publishes no events-per-second figure for one execution; what it publishes bounds its history and its ' +
      'work in flight:',
    '',
    ...r.guidance.map((line) => `- ${line}`),
    '',
  );
  return lines;
}

function sharedWorkersSection(results: BenchResults): string[] {
  const w = results.sharedWorkers;
  if (!w) return [];
  const lines = [
    '## 8. One batch past one worker process',
    '',
    `${w.images} images, RECEIVERS ${w.receivers}, the activities path (LOCAL_AWS_CALLS=false), DETECT_RATE_LIMIT ` +
      `${w.detectRateLimit}/s (below what this machine reaches, so that it binds), the instant model; every worker ` +
      'process polls the same task queues. Tasks by worker from the histories’ `identity` (`<pid>@<host>`). Two cores ' +
      'cannot show a speed-up: this shows the spread and the one rate limit; killing a worker mid-batch without loss is ' +
      'the fault suite’s (test/faults/workers-share-batch.test.ts).',
    '',
    '| worker processes | images/s | detect dispatched/s (limit) | busiest 5 s (limit × 5) | workflow tasks by worker | activity tasks by worker | CPU s by worker |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const run of w.runs) {
    const shares = Object.entries(run.batch.workerShares ?? {}).sort(([a], [b]) => a.localeCompare(b));
    const workers = Object.keys(run.batch.cpuSeconds).filter((name) => name.startsWith('worker'));
    lines.push(
      `| ${run.workers} | ${f(run.batch.metrics.imagesPerSecond, 1)} | ${f(run.detectsPerSecond)} (${w.detectRateLimit}) | ${run.busiestFiveSeconds} (${w.detectRateLimit * 5}) | ` +
        `${shares.map(([name, share]) => `${name} ${share.workflowTasks}`).join(', ')} | ` +
        `${shares.map(([name, share]) => `${name} ${share.activityTasks}`).join(', ')} | ` +
        `${workers.map((name) => `${name} ${f(run.batch.cpuSeconds[name], 1)}`).join(', ')} |`,
    );
  }
  lines.push('');
  return lines;
}

/** Sections 7 and 8: one batch past one workflow execution, and past one worker process. */
export function scaleOutSections(results: BenchResults): string[] {
  return [...receiversSection(results), ...sharedWorkersSection(results)];
}
