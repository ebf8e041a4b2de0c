import { WorkflowFailedError } from '@temporalio/client';
import { drainSignal } from '../../src/workflows';
import { receiverIds } from '../../src/workflows/receivers';
import { completedRun, expectNothingLost, expectPipelineInvariants } from '../faults/support/invariants';
import {
  fannedOutStackPerTest,
  receiverActivityStarts,
  receiverResults,
  receiversEndedEarly,
  recordReceiverHistories,
  startBatchNamed,
  waitForReceiversDone,
} from '../faults/support/receivers';

const RECEIVERS = 3;
const IMAGES = 60;

const scenarioStack = fannedOutStackPerTest(RECEIVERS);

it('fans a batch out to three receivers: every message processed once, outputs right, model stopped once', async () => {
  const stack = await scenarioStack('receivers-fanned');
  const { client } = stack.temporal;
  const files = await stack.uploadBatchFiles('fanned', IMAGES);
  const batch = await startBatchNamed(stack, 'fans-out-to-three-receivers');
  const progress = await stack.waitForProgress(
    batch,
    (p) => (p as { receivers?: unknown }).receivers !== undefined,
  );
  expect(progress).toMatchObject({
    phase: 'processing',
    receivers: { workflowIds: receiverIds(batch.workflowId, RECEIVERS), finished: 0 },
  });
  const summary = await stack.finish(batch);
  await recordReceiverHistories(client, batch, RECEIVERS, 'fans-out-to-three-receivers');

  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
  expect(stack.modelUsage().totals.starts).toBe(1);
  const results = await receiverResults(client, batch, RECEIVERS);
  // Every receiver took a share, and the batch's counts are their sum.
  for (const result of results) expect(result.counts.messages).toBeGreaterThan(0);
  expect(results.reduce((sum, result) => sum + result.counts.messages, 0)).toBe(summary.counts.messages);
  expect(results.reduce((sum, result) => sum + result.pages, 0)).toBe(summary.pages);
  // Test batches hand over every few hundred events: each receiver continued as new on its own.
  for (const result of results) expect(result.continuedAsNew).toBeGreaterThan(0);
  const detections = (await receiverActivityStarts(client, batch, RECEIVERS)).filter(
    (start) => start.type === 'detectCustomLabels',
  );
  expect(detections.length).toBeGreaterThanOrEqual(IMAGES - 3);
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)], skippedExactly: true });
});

it('drains every receiver on a drain signal to the batch, stops the model, and leaves the rest queued', async () => {
  const stack = await scenarioStack('receivers-drained');
  const { client } = stack.temporal;
  const files = await stack.uploadBatchFiles('drained', IMAGES);
  const batch = await startBatchNamed(stack, 'drains-every-receiver');
  await waitForReceiversDone(client, batch, RECEIVERS, 6);
  await batch.signal(drainSignal);
  const summary = await stack.finish(batch);
  await recordReceiverHistories(client, batch, RECEIVERS, 'drains-every-receiver');

  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
  const results = await receiverResults(client, batch, RECEIVERS);
  expect(results.map((result) => result.drained)).toEqual(Array(RECEIVERS).fill(true));
  expect(summary.counts.messages).toBeLessThan(IMAGES);
  expect(await stack.queuedMessages()).toBeGreaterThan(0);
  const next = await stack.finishLeftBehind();
  await expectPipelineInvariants(stack, { files, runs: [summary, ...next].map(completedRun) });
});

it('cancels every receiver when the batch is cancelled, and still stops the model', async () => {
  const stack = await scenarioStack('receivers-cancelled');
  const { client } = stack.temporal;
  const files = await stack.uploadBatchFiles('cancelled', IMAGES);
  const batch = await startBatchNamed(stack, 'cancels-every-receiver');
  await waitForReceiversDone(client, batch, RECEIVERS, 6);
  await batch.cancel();
  await expect(stack.finish(batch)).rejects.toBeInstanceOf(WorkflowFailedError);
  await recordReceiverHistories(client, batch, RECEIVERS, 'cancels-every-receiver');

  for (const id of receiverIds(batch.workflowId, RECEIVERS)) {
    expect((await client.workflow.getHandle(id).describe()).status.name).toBe('CANCELLED');
  }
  expect((await batch.describe()).status.name).toBe('CANCELLED');
  expect(await stack.modelStatus()).toBe('STOPPED');
  const cut = await receiversEndedEarly(client, batch, RECEIVERS);
  const next = await stack.finishLeftBehind();
  await expectPipelineInvariants(stack, { files, runs: [cut, ...next.map(completedRun)] });
});

it('ends the batch when one receiver meets a failure of the system: the others drain, the model stops, the rest stays queued', async () => {
  const stack = await scenarioStack('receivers-failed');
  const { client } = stack.temporal;
  const files = await stack.uploadBatchFiles('failed', IMAGES);
  const denied = files.filter((file) => file.expected.kind === 'processed')[20];
  const where = `s3://${stack.config.sourceBucket}/${denied.key}`;
  stack.modelServer.injectFault({ denyObjectReads: [where] });

  const batch = await startBatchNamed(stack, 'ends-the-batch-on-a-receiver-failure');
  const failure = await stack.finish(batch).catch((error: unknown) => error);
  await recordReceiverHistories(client, batch, RECEIVERS, 'ends-the-batch-on-a-receiver-failure');

  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause?.message).toContain(`Rekognition could not read ${where}`);
  const ends = await Promise.all(
    receiverIds(batch.workflowId, RECEIVERS).map(
      async (id) => (await client.workflow.getHandle(id).describe()).status.name,
    ),
  );
  expect(ends.filter((end) => end === 'FAILED').length).toBeGreaterThanOrEqual(1);
  expect(ends.filter((end) => end === 'RUNNING')).toEqual([]);
  expect(await stack.modelStatus()).toBe('STOPPED');
  expect(await stack.queuedMessages()).toBeGreaterThan(0);
  await expectNothingLost(stack, files);
  const stopped = await receiversEndedEarly(client, batch, RECEIVERS);

  stack.modelServer.clearFaults();
  const summary = await stack.finishNextBatch();
  await expectPipelineInvariants(stack, { files, runs: [stopped, completedRun(summary)] });
});
