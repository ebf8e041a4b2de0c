import { PutObjectCommand } from '@aws-sdk/client-s3';
import { batchSettingsFrom } from '../../src/batch-settings';
import type { Config } from '../../src/config/config';
import { startLocalRekognitionServer } from '../../src/local/rekognition';
import { batchWorkflow } from '../../src/workflows';
import type { BatchSettings, BatchSummary } from '../../src/workflows/batch-types';
import { measuredTpsPerUnit } from '../../src/workflows/learned-tps';
import { sizeInferenceUnits } from '../../src/workflows/unit-sizing';
import { sampleImage, sampleLabels } from '../support/rekognition';
import { listWorkflowIds } from '../support/search-attributes';
import { connectToTestTemporal } from '../support/temporal';
import { testEnv } from '../support/test-env';
import { withTestPipeline, type RealStack, type TestPipeline } from '../support/test-pipeline';
import { recordFixtures } from './support/fixtures';

/** The model serves 2 images/s per inference unit (it throttles beyond): twice what the config says. */
const MODEL_TPS_PER_UNIT = 2;
const IMAGES = 60;
const SETTINGS = {
  CONCURRENCY: '4',
  MODEL_TPS_PER_INFERENCE_UNIT: '1',
  // 40 s after the model's start: at the configured 1 TPS, 1 unit takes 63 s and 2 units 32 s; at
  // anything from 1.58 TPS (the model's 2 as the pipeline delivers it), 1 unit is enough.
  TARGET_BATCH_DURATION: '41s',
  MODEL_START_TIME: '1s',
  MAX_INFERENCE_UNITS: '3',
  // Far above what the model serves: the batches measure the model, not the rate limit.
  DETECT_RATE_LIMIT: '20',
};

let stack: RealStack | undefined;
beforeAll(async () => {
  const temporal = await connectToTestTemporal();
  const modelServer = await startLocalRekognitionServer({
    modelsDir: testEnv('modelsDir'),
    s3Endpoint: testEnv('motoEndpoint'),
    startDelayMs: 300,
    stopDelayMs: 100,
    transactionsPerSecondPerInferenceUnit: MODEL_TPS_PER_UNIT,
  });
  stack = { temporal, modelServer };
});
afterAll(async () => {
  await stack?.modelServer.close();
  await stack?.temporal.close();
});

async function upload({ config, clients }: TestPipeline, prefix: string): Promise<void> {
  const labels = sampleLabels();
  for (let i = 0; i < IMAGES; i += 1) {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: config.sourceBucket,
        Key: `${prefix}/${i}.png`,
        Body: sampleImage(labels[i % labels.length]),
      }),
    );
  }
}

async function runBatch(config: Config, settings: BatchSettings, name: string): Promise<BatchSummary> {
  const { client } = stack!.temporal;
  const workflowId = `${config.taskQueue}-${name}`;
  const summary = await client.workflow.execute(batchWorkflow, {
    taskQueue: config.taskQueue,
    workflowId,
    args: [{ settings }],
  });
  // Visibility lags the batch's end a little: the next batch must find it, as an hourly one would.
  await listWorkflowIds(client, `WorkflowId = '${workflowId}' AND ExecutionStatus = 'Completed'`, 1);
  return summary;
}

const unitsStarted = (arn: string) =>
  stack!.modelServer
    .usage()
    .versions.find((version) => version.projectVersionArn === arn)
    ?.intervals.map((interval) => interval.inferenceUnits) ?? [];

it('sizes a batch from the TPS per unit the previous batch of the model measured', async () => {
  await withTestPipeline(stack!, 'learn', SETTINGS, async (pipeline) => {
    const { config } = pipeline;
    const arn = config.projectVersionArn;
    const before = unitsStarted(arn).length;

    // 1. An unsized batch on MIN_INFERENCE_UNITS measures the model: 60 images on 1 unit.
    await upload(pipeline, 'first');
    const unsized = batchSettingsFrom({ ...config, targetBatchDurationMs: undefined });
    const first = await runBatch(config, unsized, 'first');
    expect(first.counts).toMatchObject({ processed: IMAGES, failed: 0 });
    expect(first.throughput).toMatchObject({ imagesProcessed: IMAGES, inferenceUnits: 1 });
    expect(first).not.toHaveProperty('tpsPerUnit');
    const learned = measuredTpsPerUnit(first.throughput!);
    // What the pipeline got of the model's 2 images/s, over the 1 TPS the config claims.
    expect(learned).toBeGreaterThan(1);
    expect(learned).toBeLessThanOrEqual(MODEL_TPS_PER_UNIT / 0.95);

    // 2. A sized batch of the same model learns it from the first one's summary.
    await upload(pipeline, 'second');
    const second = await runBatch(config, batchSettingsFrom(config), 'second');
    expect(second.counts).toMatchObject({ processed: IMAGES, failed: 0 });
    expect(second.tpsPerUnit).toEqual({
      tpsPerUnit: learned,
      source: 'learned',
      batches: 1,
      reason: `learned from the 1 earlier batch of this model: images processed ÷ (busy seconds × units × 0.95) = ${learned.toFixed(2)}, median ${learned.toFixed(2)}`,
    });
    const sizing = { targetMs: 41_000, modelStartMs: 1_000, detectRateLimit: 20 };
    const bounds = { min: 1, max: 3 };
    expect(second.inferenceUnits).toEqual(
      sizeInferenceUnits(IMAGES, { ...sizing, tpsPerUnit: learned }, bounds),
    );
    // The configured TPS would have started 2 units; the model's own, as measured, finishes on 1.
    expect(sizeInferenceUnits(IMAGES, { ...sizing, tpsPerUnit: 1 }, bounds).chosen).toBe(2);
    expect(second.inferenceUnits?.chosen).toBe(1);
    expect(unitsStarted(arn).slice(before)).toEqual([1, 1]);

    await recordFixtures(stack!.temporal.client, [
      { workflowId: `${config.taskQueue}-first`, name: 'measures-the-model-it-started' },
      { workflowId: `${config.taskQueue}-second`, name: 'sizes-from-the-tps-the-first-batch-measured' },
    ]);
  });
}, 300_000);
