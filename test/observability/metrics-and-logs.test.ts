import { readFileSync } from 'node:fs';
import { freePort } from '../../src/local/stack/free-port';
import { METRIC } from '../../src/observability/metric-names';
import { runObservedBatch, type ObservedBatch } from './observed-batch';
import { parsePrometheus, sampleSum } from './prometheus-text';

/**
 * A batch run by the production worker with the Prometheus endpoint on: its scrape, taken as the batch
 * ended, must agree with its summary, and its log lines must be JSON naming the batch.
 */
let batch: ObservedBatch;
let summary: ObservedBatch['summary'];
let workflowId: string;
let imageCount: number;
let scrape: string;
let worker: ObservedBatch['worker'];

beforeAll(async () => {
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  // Few events per run, so the batch continues as new and its metrics must add up across runs.
  const env = { METRICS_BIND_ADDRESS: metricsAddress, CONTINUE_AS_NEW_AFTER_EVENTS: '100' };
  batch = await runObservedBatch(env, async () => {
    scrape = await (await fetch(`http://${metricsAddress}/metrics`)).text();
  });
  ({ summary, workflowId, imageCount, worker } = batch);
});

afterAll(async () => {
  await batch?.modelServer.close();
});

it('ran the mixed batch in more than one run: labelled, rejected and dead-lettered', () => {
  expect(summary.continuedAsNew).toBeGreaterThan(0);
  expect(summary.counts).toMatchObject({
    processed: imageCount,
    failed: 1,
    failedByReason: { InvalidImageFormatException: 1 },
    deadLettered: 1,
  });
});

it('exports pipeline counters equal to the batch summary', () => {
  const samples = parsePrometheus(scrape);
  expect(sampleSum(samples, `${METRIC.imagesProcessed}_total`)).toBe(summary.counts.processed);
  expect(sampleSum(samples, `${METRIC.imagesFailed}_total`, { reason: 'InvalidImageFormatException' })).toBe(
    summary.counts.failedByReason.InvalidImageFormatException,
  );
  expect(sampleSum(samples, `${METRIC.imagesSkipped}_total`)).toBe(summary.counts.skipped);
  expect(sampleSum(samples, `${METRIC.messagesDeadLettered}_total`, { cause: 'rejected' })).toBe(
    summary.counts.deadLettered,
  );
  expect(sampleSum(samples, `${METRIC.detectLatency}_count`)).toBe(
    summary.counts.processed + summary.counts.failed,
  );
  expect(sampleSum(samples, `${METRIC.messagesQueuedAtStart}_sum`)).toBe(summary.counts.messages);
  expect(sampleSum(samples, `${METRIC.batches}_total`, { outcome: 'completed' })).toBe(1);
  expect(sampleSum(samples, `${METRIC.modelRunning}_sum`)).toBeCloseTo(summary.modelRunningSeconds, 3);
  expect(sampleSum(samples, `${METRIC.estimatedCost}_sum`)).toBeCloseTo(summary.estimatedInferenceCostUsd, 6);
  expect(sampleSum(samples, `${METRIC.modelStartDuration}_count`)).toBe(1);
  expect(sampleSum(samples, `${METRIC.batchDuration}_count`)).toBe(1);
  const busy = sampleSum(samples, `${METRIC.modelBusy}_sum`);
  expect(busy).toBeGreaterThan(0);
  expect(busy).toBeLessThanOrEqual(summary.modelRunningSeconds);
  // Billed idle: running with nothing to infer, once per batch, the batch's busy time from all its runs.
  expect(sampleSum(samples, `${METRIC.modelBilledIdle}_count`)).toBe(1);
  const idle = sampleSum(samples, `${METRIC.modelBilledIdle}_sum`);
  expect(idle).toBeGreaterThan(0);
  expect(idle + busy).toBeCloseTo(summary.modelRunningSeconds, 3);
});

it("exports the SDK's own metrics on the same endpoint", () => {
  expect(scrape).toMatch(/^temporal_workflow_task_execution_latency_seconds_bucket\{/m);
  expect(scrape).toMatch(/^temporal_activity_execution_latency_seconds_bucket\{/m);
});

it('logs JSON lines, with one line per image carrying the workflow id', () => {
  const lines = readFileSync(worker.logFile, 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('==='));
  const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(entries.length).toBeGreaterThan(0);
  const outcomes = entries.filter((entry) => entry.workflowId === workflowId && 'outcome' in entry);
  expect(outcomes.filter((entry) => entry.outcome === 'labelled')).toHaveLength(imageCount);
  expect(outcomes.find((entry) => entry.outcome === 'rejected')).toMatchObject({
    level: 'info',
    key: 'in/notes.txt',
    reason: 'InvalidImageFormatException',
    runId: expect.any(String),
  });
  for (const entry of outcomes)
    expect(entry).toMatchObject({ time: expect.any(String), msg: expect.any(String) });
  expect(entries.some((entry) => String(entry.msg).startsWith('worker polling'))).toBe(true);
});
