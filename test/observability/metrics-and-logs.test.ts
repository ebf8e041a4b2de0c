import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Client, Connection } from '@temporalio/client';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAwsClients } from '../../src/aws-clients';
import { followBatch, startBatchNow } from '../../src/batch-runs';
import { loadConfig } from '../../src/config/config';
import { startLocalRekognitionServer, type LocalRekognitionServer } from '../../src/local/rekognition';
import { freePort } from '../../src/local/stack/free-port';
import { METRIC } from '../../src/observability/metric-names';
import { provisionRequestFromConfig, provisionResources } from '../../src/provision';
import { scheduleHandle } from '../../src/schedule';
import type { BatchSummary } from '../../src/workflows/batch-types';
import { WorkerProcess } from '../faults/support/worker-process';
import { sampleImage, sampleLabels } from '../support/rekognition';
import { testEnv } from '../support/test-env';
import { parsePrometheus, sampleSum } from './prometheus-text';

/**
 * The production worker in a process of its own (a Runtime is installed once per process) with the
 * Prometheus endpoint on and JSON logs: one mixed batch, then its scrape must agree with its summary
 * and its log lines must be JSON naming the batch.
 */
let modelServer: LocalRekognitionServer;
let worker: WorkerProcess;
let summary: BatchSummary;
let workflowId: string;
let scrape: string;
let imageCount: number;

beforeAll(async () => {
  const motoEndpoint = testEnv('motoEndpoint');
  modelServer = await startLocalRekognitionServer({
    modelsDir: testEnv('modelsDir'),
    s3Endpoint: motoEndpoint,
    startDelayMs: 300,
    stopDelayMs: 100,
    transactionsPerSecondPerInferenceUnit: 20,
  });
  const unique = `obs${Date.now().toString(36)}`;
  const metricsAddress = `127.0.0.1:${await freePort()}`;
  const env: Record<string, string> = {
    TEMPORAL_ADDRESS: testEnv('temporalAddress'),
    TEMPORAL_NAMESPACE: 'default',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL: motoEndpoint,
    AWS_ENDPOINT_URL_REKOGNITION: modelServer.url,
    SOURCE_BUCKET: `${unique}-in`,
    RESULTS_BUCKET: `${unique}-out`,
    QUEUE_URL: `${motoEndpoint}/123456789012/${unique}`,
    PROJECT_VERSION_ARN: testEnv('modelArn'),
    TASK_QUEUE: unique,
    STATUS_POLL_INTERVAL: '200ms',
    CONCURRENCY: '4',
    DETECT_RATE_LIMIT: '20',
    METRICS_BIND_ADDRESS: metricsAddress,
    LOG_FORMAT: 'json',
    // Node's own warnings (e.g. the AWS SDK's about Node 20) are plain text on stderr, not our logs.
    NODE_NO_WARNINGS: '1',
  };
  const clients = createAwsClients(loadConfig(env));
  const resources = await provisionResources(clients, provisionRequestFromConfig(loadConfig(env)));
  env.QUEUE_URL = resources.queueUrl;
  env.DEAD_LETTER_QUEUE_URL = resources.deadLetterQueueUrl;
  const config = loadConfig(env);

  const labels = sampleLabels();
  imageCount = labels.length;
  for (const [i, label] of labels.entries()) {
    await clients.s3.send(
      new PutObjectCommand({ Bucket: config.sourceBucket, Key: `in/${i}.jpg`, Body: sampleImage(label) }),
    );
  }
  await clients.s3.send(
    new PutObjectCommand({ Bucket: config.sourceBucket, Key: 'in/notes.txt', Body: 'not an image' }),
  );
  await clients.sqs.send(new SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: 'not an event' }));

  worker = new WorkerProcess(env, join(mkdtempSync(join(tmpdir(), 'clb-observability-')), 'worker.log'));
  await worker.start();
  const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection });
    const handle = await startBatchNow(client, config);
    workflowId = handle.workflowId;
    summary = await followBatch(handle, () => undefined, 200);
    await scheduleHandle(client, config).delete();
  } finally {
    await connection.close();
  }
  const response = await fetch(`http://${metricsAddress}/metrics`);
  scrape = await response.text();
  await worker.stop();
  clients.destroy();
});

afterAll(async () => {
  await worker?.stop();
  await modelServer?.close();
});

it('ran the mixed batch: labelled, rejected and dead-lettered', () => {
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
