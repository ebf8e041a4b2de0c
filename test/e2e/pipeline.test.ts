import { PutObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createActivities } from '../../src/activities';
import { followBatch, startBatchNow } from '../../src/batch-runs';
import { upsertSchedule } from '../../src/schedule';
import { recordHistories, recordingHistories } from '../support/histories';
import {
  batchSearchAttributes,
  expectedSearchAttributes,
  listWorkflowIds,
} from '../support/search-attributes';
import { outputKeys } from '../../src/workflows/output-keys';
import { sampleImage, sampleLabels } from '../support/rekognition';
import { realStackPerFile, withTestPipeline, type TestPipeline } from '../support/test-pipeline';
import { TEST_CONTINUE_AS_NEW_EVENTS } from '../support/test-env';

const realStack = realStackPerFile();

async function listKeys(clients: TestPipeline['clients'], bucket: string): Promise<string[]> {
  const { Contents = [] } = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return Contents.map((object) => object.Key!).sort();
}

it('runs a mixed batch through the schedule: results, failures and dead letters exactly as expected, model STOPPED', async () => {
  const { temporal, modelServer } = realStack();
  const settings = {
    CONCURRENCY: '4',
    DETECT_RATE_LIMIT: '20',
    CONTINUE_AS_NEW_AFTER_EVENTS: String(TEST_CONTINUE_AS_NEW_EVENTS),
  };
  await withTestPipeline(realStack(), 'e2e', settings, async ({ config, clients, queueName }) => {
    const labels = sampleLabels();
    const goodKeys = labels.map((label, i) => `batch/${label} ${i}.${i % 2 ? 'png' : 'jpg'}`);
    for (const [i, key] of goodKeys.entries()) {
      await clients.s3.send(
        new PutObjectCommand({ Bucket: config.sourceBucket, Key: key, Body: sampleImage(labels[i]) }),
      );
    }
    const encodedKey = 'batch/Ünïcode + plus & space (1).JPEG';
    await clients.s3.send(
      new PutObjectCommand({ Bucket: config.sourceBucket, Key: encodedKey, Body: sampleImage(labels[0]) }),
    );
    // One key uploaded twice: two versions in the versioned source bucket, each labelled and moved; one output.
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: config.sourceBucket,
        Key: 'batch/twice.png',
        Body: sampleImage(labels[1]),
      }),
    );
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: config.sourceBucket,
        Key: 'batch/twice.png',
        Body: sampleImage(labels[1]),
      }),
    );
    await clients.s3.send(
      new PutObjectCommand({ Bucket: config.sourceBucket, Key: 'batch/notes.jpg', Body: 'not an image' }),
    );
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: 'garbage' }));
    await clients.sqs.send(
      new SendMessageCommand({
        QueueUrl: config.queueUrl,
        MessageBody: JSON.stringify({
          Records: [
            {
              eventSource: 'aws:s3',
              eventName: 'ObjectCreated:Put',
              s3: { bucket: { name: 'someone-elses-bucket' }, object: { key: 'x.png' } },
            },
          ],
        }),
      }),
    );

    await upsertSchedule(temporal.client, config);
    const handle = await startBatchNow(temporal.client, config);
    const summary = await followBatch(handle, () => undefined, 200);
    if (recordingHistories())
      await recordHistories(temporal.client, handle.workflowId, 'e2e-mixed-batch-through-the-schedule');

    expect(summary.counts).toMatchObject({
      processed: goodKeys.length + 3,
      failed: 1,
      failedByReason: { InvalidImageFormatException: 1 },
      skipped: 0,
      deadLettered: 2,
      testEvents: 1,
    });
    expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });

    // Findable: the search attributes say what the batch did, the static summary which model and queue.
    const description = await handle.describe();
    expect(batchSearchAttributes(description)).toEqual(
      expectedSearchAttributes(summary, config.projectVersionArn, summary.counts.messages, 'completed'),
    );
    // The static summary is on the run the schedule started: continue-as-new does not carry it in SDK 1.24.
    const firstRunId = description.raw.workflowExecutionInfo?.firstRunId ?? undefined;
    const firstRun = await temporal.client.workflow.getHandle(handle.workflowId, firstRunId).describe();
    expect(await firstRun.staticSummary()).toBe(
      `Custom Labels batch: model sample-patterns/test, queue ${queueName}`,
    );
    expect(await firstRun.staticDetails()).toContain(config.queueUrl);
    // The README's "batches with failed images this week", narrowed to this batch's model and queue's run.
    const weekAgo = new Date(Date.now() - 7 * 24 * 3600 * 1000).toISOString();
    const thisBatch = `WorkflowId = '${description.workflowId}'`;
    expect(
      await listWorkflowIds(
        temporal.client,
        `CustomLabelsImagesFailed > 0 AND StartTime > '${weekAgo}' AND ${thisBatch}`,
        1,
      ),
    ).toEqual([description.workflowId]);
    expect(
      await listWorkflowIds(temporal.client, `CustomLabelsImagesFailed > 1 AND ${thisBatch}`, 0),
    ).toEqual([]);

    const processed = [...goodKeys, encodedKey, 'batch/twice.png'];
    expect(await listKeys(clients, config.resultsBucket)).toEqual(
      [
        ...processed.flatMap((key) => [outputKeys(key).processedImage, outputKeys(key).labels]),
        outputKeys('batch/notes.jpg').failedImage,
        outputKeys('batch/notes.jpg').failure,
      ].sort(),
    );
    expect(await listKeys(clients, config.sourceBucket)).toEqual([]);
    const activities = createActivities(clients);
    expect((await activities.countQueuedMessages(config.queueUrl)).total).toBe(0);
    const { Messages: deadLetters = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: config.deadLetterQueueUrl,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
      }),
    );
    expect(deadLetters.map((m) => m.MessageAttributes?.RejectedReason?.StringValue).sort()).toEqual([
      expect.stringMatching(/"someone-elses-bucket" is not the configured source bucket/),
      expect.stringMatching(/not JSON/),
    ]);
    expect((await activities.describeModel(config.projectVersionArn)).status).toBe('STOPPED');
    const usage = modelServer.usage().versions.find((v) => v.projectVersionArn === config.projectVersionArn)!;
    // Every event reached the model once: the good ones, the encoded key, both versions of 'twice' and the
    // text file.
    expect(usage.intervals.at(-1)).toMatchObject({ inferences: goodKeys.length + 4, throttled: 0 });
  });
});
