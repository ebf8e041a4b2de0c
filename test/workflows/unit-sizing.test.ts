import { PutObjectCommand } from '@aws-sdk/client-s3';
import { followBatch, startBatchNow } from '../../src/batch-runs';
import type { Config } from '../../src/config/config';
import { batchCostLines } from '../../src/cost/batch-cost-lines';
import { pricesFrom } from '../../src/cost/prices';
import { upsertSchedule } from '../../src/schedule';
import type { BatchSummary } from '../../src/workflows/batch-types';
import { rekognitionClient, sampleImage, sampleLabels, startModel, stopModel } from '../support/rekognition';
import { recordHistories, recordingHistories } from '../support/histories';
import { realStackPerFile, withTestPipeline } from '../support/test-pipeline';
import { testEnv } from '../support/test-env';

const realStack = realStackPerFile();

const IMAGES = 6;

/**
 * A batch of IMAGES images (7 messages with the bucket's test event) to finish within 5 s, 1 s of it for
 * the model to start, on a model said to serve 0.5 images/s per unit: 4 s of processing at 0.475
 * images/s per unit (× 0.95) needs 4 units (7 / 1.9 = 3.7 s), where 3 would take 4.9 s.
 */
async function runSizedBatch(
  recordAs?: string,
): Promise<{ summary: BatchSummary; config: Config; costLines: string[] }> {
  const { temporal } = realStack();
  const settings = {
    CONCURRENCY: '4',
    TARGET_BATCH_DURATION: '5s',
    MODEL_START_TIME: '1s',
    MODEL_TPS_PER_INFERENCE_UNIT: '0.5',
    MAX_INFERENCE_UNITS: '6',
  };
  return withTestPipeline(realStack(), 'size', settings, async ({ config, clients }) => {
    const labels = sampleLabels();
    for (let i = 0; i < IMAGES; i += 1) {
      const label = labels[i % labels.length];
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: config.sourceBucket,
          Key: `sized/${i}.png`,
          Body: sampleImage(label),
        }),
      );
    }
    await upsertSchedule(temporal.client, config);
    const handle = await startBatchNow(temporal.client, config);
    const summary = await followBatch(handle, () => undefined, 200);
    if (recordAs && recordingHistories()) await recordHistories(temporal.client, handle.workflowId, recordAs);
    const costLines = await batchCostLines(temporal.client, handle.workflowId, summary, pricesFrom(config));
    return { summary, config, costLines };
  });
}

const intervalsOf = (arn: string) =>
  realStack()
    .modelServer.usage()
    .versions.find((version) => version.projectVersionArn === arn)?.intervals ?? [];

it('starts the fewest inference units that finish by TARGET_BATCH_DURATION, says why, and prices the batch', async () => {
  const before = intervalsOf(testEnv('modelArn')).length;
  const { summary, costLines } = await runSizedBatch('sizing.starts-the-fewest-units-that-finish-in-time');

  expect(summary.counts).toMatchObject({ processed: IMAGES, failed: 0 });
  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
  expect(summary.inferenceUnits).toEqual({
    chosen: 4,
    reason:
      '7 messages within 5s, 1s of it for the model to start: 4 units (1.90 images/s) take 4s; 3 units (1.42 images/s) take 5s',
  });
  // The model server's own record of the start request: MinInferenceUnits 4, no auto-scaling.
  const intervals = intervalsOf(testEnv('modelArn')).slice(before);
  expect(intervals).toHaveLength(1);
  expect(intervals[0]).toMatchObject({ inferenceUnits: 4, inferences: IMAGES });
  expect(summary.modelStartSeconds).toBeGreaterThanOrEqual(0.3);
  expect(summary.estimatedInferenceCostUsd).toBeCloseTo((summary.modelRunningSeconds / 3600) * 4 * 4, 10);
  // The cost `run` prints, from the batch's histories read back from Temporal.
  expect(costLines[0]).toMatch(
    new RegExp(
      `^cost: \\d+ Temporal actions for ${IMAGES} images \\(\\d+\\.\\d\\d per image\\); \\$\\d+\\.\\d+ per 1,000 images: model \\$`,
    ),
  );
  expect(costLines[1]).toMatch(
    /^replaced design \(Step Functions \+ Lambda\): \$\d+\.\d+ per 1,000 images: model \(74 billed minutes at 1 unit\)/,
  );
}, 120_000);

it('leaves a model already RUNNING with its units, and says so in the summary', async () => {
  const arn = testEnv('modelArn');
  const rekognition = rekognitionClient(realStack().modelServer.url);
  try {
    await startModel(rekognition, arn, { units: 2 });
    const before = intervalsOf(arn).length;
    const { summary } = await runSizedBatch();
    expect(summary.counts).toMatchObject({ processed: IMAGES, failed: 0 });
    expect(summary).toMatchObject({ startedModel: false, stoppedModel: false });
    expect(summary.inferenceUnits?.reason).toMatch(
      /^the model was already STARTING or RUNNING .*: not restarted/,
    );
    // Still the interval the test started, at 2 units: the batch neither restarted nor stopped it.
    expect(intervalsOf(arn).slice(before - 1)).toEqual([
      expect.objectContaining({ inferenceUnits: 2, stoppedAt: null }),
    ]);
  } finally {
    await stopModel(rekognition, arn).catch(() => undefined);
    rekognition.destroy();
  }
}, 120_000);
