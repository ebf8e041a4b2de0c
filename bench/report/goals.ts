import type { BatchRecord } from '../pipeline-scenario';
import type { BenchResults } from '../results';
import { OVERHEAD_GOAL } from '../scenarios/overhead';
import {
  NAMESPACE_ACTIONS_PER_SECOND,
  NAMESPACE_ACTIONS_SOURCE,
  TARGET_IMAGES_PER_SECOND,
} from '../scenarios/receivers';
import { f, imagesOf, met, pathOf } from './format';

/** Issue 13's goals, each measured side by side for both LOCAL_AWS_CALLS paths in one run. */
export const ACTIONS_PER_IMAGE_GOAL = 1.5;
export const ACTIONS_GOAL_BATCH_IMAGES = 1000;
export const CAPACITY_GOAL = 0.9;
export const CAPACITY_GOAL_TPS = 50;

/** The run's batches of 1,000 images (capacity and overhead), the size the actions goal is set on. */
export function thousandImageBatches(results: BenchResults): BatchRecord[] {
  return [
    ...(results.capacity ?? []).map((c) => c.batch),
    ...(results.overhead?.pipelines ?? []).map((p) => p.pipeline),
  ].filter((batch) => imagesOf(batch) === ACTIONS_GOAL_BATCH_IMAGES && batch.actionsPerImage !== undefined);
}

const paths = (batches: BatchRecord[]) => [...new Set(batches.map(pathOf))];

function actionsRows(results: BenchResults): string[] {
  const batches = thousandImageBatches(results);
  return paths(batches).map((path) => {
    const values = batches.filter((b) => pathOf(b) === path).map((b) => b.actionsPerImage!);
    const worst = Math.max(...values);
    return `| Temporal actions per image, ${path} | ${f(Math.min(...values))}–${f(worst)} over ${values.length} batches of ${ACTIONS_GOAL_BATCH_IMAGES.toLocaleString('en-US')} images | ≤ ${ACTIONS_PER_IMAGE_GOAL} | ${met(worst <= ACTIONS_PER_IMAGE_GOAL)} | 6 |`;
  });
}

function overheadRows(results: BenchResults): string[] {
  const o = results.overhead;
  if (!o) return [];
  return o.pipelines.map(
    ({ pipeline, ratio }) =>
      `| orchestration overhead, ${pathOf(pipeline)}: pipeline ÷ plain script, instant model | ${f(ratio, 3)} (${f(pipeline.metrics.imagesPerSecond, 1)} ÷ ${f(o.plain.imagesPerSecond, 1)} images/s) | ≥ ${OVERHEAD_GOAL} | ${met(ratio >= OVERHEAD_GOAL)} | 3, 9 |`,
  );
}

function capacityRows(results: BenchResults): string[] {
  return (results.capacity ?? [])
    .filter((c) => c.capacity === CAPACITY_GOAL_TPS)
    .map(
      (c) =>
        `| ${c.capacity} TPS model's capacity reached, ${pathOf(c.batch)} | ${f(c.ratio, 3)} (${f(c.batch.metrics.imagesPerSecond, 1)} images/s) | ≥ ${CAPACITY_GOAL} | ${met(c.ratio >= CAPACITY_GOAL)} | 1, 9 |`,
    );
}

/**
 * At 200 images/s: each receiver's events/s against the most one execution sustained in this run (a
 * floor on what one execution can do), and the namespace's actions/s against Temporal Cloud's default.
 */
function scaleOutRows(results: BenchResults): string[] {
  const rows: string[] = [];
  const r = results.receivers;
  if (r) {
    for (const t of r.atTarget.filter((x) => x.receivers === r.derivedReceiversAtTarget)) {
      const sustained = Math.max(
        ...r.runs
          .filter((run) => run.localAwsCalls === t.localAwsCalls)
          .map((run) => run.maxEventsPerSecondPerExecution),
      );
      rows.push(
        `| events/s per workflow execution at ${TARGET_IMAGES_PER_SECOND} images/s, ${t.receivers} receivers (what RECEIVERS derives for 20 units × 10 TPS), LOCAL_AWS_CALLS=${t.localAwsCalls} | ${f(t.eventsPerSecondPerExecution, 0)} each (computed from the measured events per image) | ≤ ${f(sustained, 0)}, the most one execution recorded in this run | ${met(t.eventsPerSecondPerExecution <= sustained)} | 7 |`,
      );
    }
  }
  const batches = thousandImageBatches(results);
  for (const path of paths(batches)) {
    const values = batches.filter((b) => pathOf(b) === path).map((b) => b.actionsPerImage!);
    const perSecond = TARGET_IMAGES_PER_SECOND * Math.max(...values);
    rows.push(
      `| Temporal Cloud actions/s at ${TARGET_IMAGES_PER_SECOND} images/s, ${path} | ${f(perSecond, 0)} (${TARGET_IMAGES_PER_SECOND} × ${f(Math.max(...values))} per image) | ≤ ${NAMESPACE_ACTIONS_PER_SECOND}, a namespace's default limit ([Temporal Cloud limits](${NAMESPACE_ACTIONS_SOURCE})) | ${met(perSecond <= NAMESPACE_ACTIONS_PER_SECOND)} | 7 |`,
    );
  }
  const shared = results.sharedWorkers;
  for (const run of shared?.runs ?? []) {
    const shares = Object.values(run.batch.workerShares ?? {});
    const everyOneWorked = shares.length === run.workers && shares.every((s) => s.activityTasks > 0);
    rows.push(
      `| ${run.workers} worker processes share one batch (${shared!.receivers} receivers) | ${shares.filter((s) => s.activityTasks > 0).length} of ${run.workers} ran its activities; detect tasks dispatched at ${f(run.detectsPerSecond)}/s, busiest 5 s ${run.busiestFiveSeconds} | every process works; one DETECT_RATE_LIMIT ${shared!.detectRateLimit}/s for all | ${met(everyOneWorked && run.detectsPerSecond <= shared!.detectRateLimit)} | 8 |`,
    );
  }
  return rows;
}

/** The goals of issue 13 (cost and scale), each against its measured figure. */
export function goalsTable(results: BenchResults): string {
  return [
    '| goal | measured | target | verdict | section |',
    '| --- | --- | --- | --- | --- |',
    ...actionsRows(results),
    ...overheadRows(results),
    ...capacityRows(results),
    ...scaleOutRows(results),
  ].join('\n');
}
