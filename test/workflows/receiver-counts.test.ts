import { WorkflowFailedError, type Client } from '@temporalio/client';
import { progressQuery } from '../../src/workflows';
import { receiverIds } from '../../src/workflows/receivers';
import { expectNothingLost } from '../faults/support/invariants';
import { fannedOutStackPerTest, receiversEndedEarly, startBatchNamed } from '../faults/support/receivers';
import type { BatchHandle } from '../faults/support/scenario-stack';
import { batchSearchAttributes } from '../support/search-attributes';
import { recordFixtures } from './support/fixtures';

const RECEIVERS = 3;
const IMAGES = 60;

const scenarioStack = fannedOutStackPerTest(RECEIVERS);

/** The receivers' statuses, in the order of their ids. */
function receiverStatuses(client: Client, batch: BatchHandle): Promise<string[]> {
  return Promise.all(
    receiverIds(batch.workflowId, RECEIVERS).map(
      async (id) => (await client.workflow.getHandle(id).describe()).status.name,
    ),
  );
}

/**
 * The batch's own record of what was done, from its end (queried from its history, and the search
 * attributes of its end), against what each receiver says it did (each still answers queries).
 */
async function expectBatchCountsEveryReceiver(client: Client, batch: BatchHandle, outcome: string) {
  const receivers = await receiversEndedEarly(client, batch, RECEIVERS);
  const pages = await Promise.all(
    receiverIds(batch.workflowId, RECEIVERS).map(
      async (id) => (await client.workflow.getHandle(id).query(progressQuery)).pages,
    ),
  );
  const progress = await batch.query(progressQuery);
  expect(progress.counts).toEqual(receivers.counts);
  expect(progress.pages).toBe(pages.reduce((sum, count) => sum + count, 0));
  expect(batchSearchAttributes(await batch.describe())).toMatchObject({
    CustomLabelsImagesProcessed: receivers.counts.processed,
    CustomLabelsImagesFailed: receivers.counts.failed,
    CustomLabelsImagesDeadLettered: receivers.counts.deadLettered,
    CustomLabelsOutcome: outcome,
  });
  return receivers.counts;
}

async function recordBatchAndReceivers(client: Client, batch: BatchHandle, name: string) {
  await recordFixtures(client, [
    { workflowId: batch.workflowId, name: `${name}.batch` },
    ...receiverIds(batch.workflowId, RECEIVERS).map((workflowId, index) => ({
      workflowId,
      name: `${name}.receiver-${index + 1}`,
    })),
  ]);
}

it('counts in the batch what a receiver did before it failed', async () => {
  const stack = await scenarioStack('receiver-failed-counted');
  const { client } = stack.temporal;
  const files = await stack.uploadBatchFiles('failed', IMAGES);
  // A late image: the receiver that meets it has processed others first.
  const denied = files.filter((file) => file.expected.kind === 'processed').at(-5)!;
  const where = `s3://${stack.config.sourceBucket}/${denied.key}`;
  stack.modelServer.injectFault({ denyObjectReads: [where] });

  const batch = await startBatchNamed(stack, 'counts-what-a-failed-receiver-did');
  const failure = await stack.finish(batch).catch((error: unknown) => error);
  await recordBatchAndReceivers(client, batch, 'counts-what-a-failed-receiver-did');

  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause?.message).toContain(`Rekognition could not read ${where}`);
  const statuses = await receiverStatuses(client, batch);
  const failed = receiverIds(batch.workflowId, RECEIVERS).filter((_, index) => statuses[index] === 'FAILED');
  expect(failed.length).toBeGreaterThanOrEqual(1);
  for (const id of failed) {
    const { counts } = await client.workflow.getHandle(id).query(progressQuery);
    expect(counts.processed).toBeGreaterThan(0);
  }
  const counted = await expectBatchCountsEveryReceiver(client, batch, 'failed');
  expect(counted.processed).toBeLessThan(IMAGES);
  await expectNothingLost(stack, files);
});
