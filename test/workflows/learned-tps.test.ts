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

/**
 * The model serves 2 images/s per inference unit (it throttles beyond), over three times what the config
 * says: however much of it the pipeline gets on a loaded machine, the learned value stays under
 * 4 × the configured one (2 ÷ 0.95 < 2.4), so it is never capped.
 */
const MODEL_TPS_PER_UNIT = 2;
const CONFIGURED_TPS = 0.6;
const IMAGES = 60;
const SETTINGS = {
  CONCURRENCY: '4',
  MODEL_TPS_PER_INFERENCE_UNIT: String(CONFIGURED_TPS),
  // 50 s after the model's start: at the configured 0.6 TPS, 2 units take 53 s, so 3 are started;
  // from 0.63 TPS (0.6 images/s delivered) 2 units are enough, from 1.26 one.
  TARGET_BATCH_DURATION: '51s',
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
    const sizing = { targetMs: 51_000, modelStartMs: 1_000, detectRateLimit: 20 };
    const bounds = { min: 1, max: 3 };
    const sized = sizeInferenceUnits(IMAGES, { ...sizing, tpsPerUnit: learned }, bounds);
    expect(second.inferenceUnits).toEqual(sized);
    // The configured TPS would have started all 3 units; what the model delivered needs fewer.
    expect(sizeInferenceUnits(IMAGES, { ...sizing, tpsPerUnit: CONFIGURED_TPS }, bounds).chosen).toBe(3);
    expect(sized.chosen).toBeLessThan(3);
    expect(unitsStarted(arn).slice(before)).toEqual([1, sized.chosen]);

    await recordFixtures(stack!.temporal.client, [
      { workflowId: `${config.taskQueue}-first`, name: 'measures-the-model-it-started' },
      { workflowId: `${config.taskQueue}-second`, name: 'sizes-from-the-tps-the-first-batch-measured' },
    ]);
  });
}, 300_000);
