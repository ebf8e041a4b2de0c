import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { BatchActivities } from '../../src/activities';
import { localActivityOf } from '../../src/cost/aws-requests';
import { writeGroupWorkflow } from '../../src/workflows';
import { outputKeys } from '../../src/workflows/output-keys';
import type { MessageWrites, MessageWritten, WriteGroupInput } from '../../src/workflows/write-group-types';
import { FakeAws } from '../support/fake-aws';
import { recordHistories, recordingHistories, slug } from '../support/histories';
import { connectToTestTemporal, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';

/**
 * A write group on its own (the child workflow a batch starts for the messages whose detections are
 * done), on a worker whose activities are the fake's: each message's outputs written, then the messages
 * deleted in DeleteMessageBatch calls of at most 10, each only after its own outputs.
 */
const SOURCE = 'source-bucket';
const RESULTS = 'results-bucket';
const QUEUE = 'http://queue/images';
let temporal: TemporalTestContext;

beforeAll(async () => {
  temporal = await connectToTestTemporal();
}, 120_000);

afterAll(() => temporal.close());

/** Receives every queued message, as a batch would, and the writes of its image. */
async function received(fake: FakeAws): Promise<MessageWrites[]> {
  const messages = await fake.activities().receiveMessages({
    queueUrl: QUEUE,
    maxMessages: 1000,
    visibilityTimeoutSeconds: 300,
    waitTimeSeconds: 0,
  });
  return messages.map(({ messageId, receiptHandle, body }) => {
    const key = sourceKey(body);
    const keys = outputKeys(key);
    return {
      messageId,
      receiptHandle,
      body,
      objects: [
        {
          object: { bucket: SOURCE, key },
          image: { bucket: RESULTS, key: keys.processedImage },
          document: { bucket: RESULTS, key: keys.labels },
          content: { customLabels: [] },
        },
      ],
    };
  });
}

function sourceKey(body: string): string {
  const event = JSON.parse(body) as { Records: Array<{ s3: { object: { key: string } } }> };
  return decodeURIComponent(event.Records[0].s3.object.key);
}

/** The images' messages, each after its image is uploaded. */
function queueImages(fake: FakeAws, count: number): string[] {
  const keys = Array.from({ length: count }, (_, i) => `img-${i}.png`);
  for (const key of keys) fake.enqueueImage(SOURCE, key);
  return keys;
}

interface GroupRun {
  results: MessageWritten[];
  /** The local activities the group ran, by type, from its history. */
  localActivities: Record<string, number>;
}

async function runGroup(activities: BatchActivities, messages: MessageWrites[]): Promise<GroupRun> {
  const taskQueue = uniqueTaskQueue('writes');
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    taskQueue,
    workflowBundle: temporal.workflowBundle,
    activities,
  });
  const input: WriteGroupInput = { queueUrl: QUEUE, deadLetterQueueUrl: `${QUEUE}-dlq`, messages };
  const workflowId = `${taskQueue}/writes-0-1`;
  const results = await worker.runUntil(
    temporal.client.workflow.execute(writeGroupWorkflow, { taskQueue, workflowId, args: [input] }),
  );
  if (recordingHistories())
    await recordHistories(temporal.client, workflowId, slug(expect.getState().currentTestName ?? 'group'));
  const history = await temporal.client.workflow.getHandle(workflowId).fetchHistory();
  const localActivities: Record<string, number> = {};
  for (const event of history.events ?? []) {
    const local = localActivityOf(event);
    if (local) localActivities[local.type] = (localActivities[local.type] ?? 0) + 1;
  }
  return { results, localActivities };
}

/**
 * The fake's activities, each DeleteMessageBatch first noting the messages it deletes whose outputs are
 * not all written (a failed expectation inside an activity would only make Temporal retry it).
 */
function checkingOutputsFirst(
  fake: FakeAws,
  messages: MessageWrites[],
): { activities: BatchActivities; deletedTooEarly: string[] } {
  const activities = fake.activities();
  const deletedTooEarly: string[] = [];
  const has = ({ bucket, key }: { bucket: string; key: string }) => fake.objects.has(`${bucket}/${key}`);
  return {
    deletedTooEarly,
    activities: {
      ...activities,
      deleteMessages: (queueUrl, receiptHandles) => {
        for (const receiptHandle of receiptHandles) {
          const [{ object, image, document }] = messages.find(
            (m) => m.receiptHandle === receiptHandle,
          )!.objects;
          if (!has(image) || !has(document) || has(object)) deletedTooEarly.push(object.key);
        }
        return activities.deleteMessages(queueUrl, receiptHandles);
      },
    },
  };
}

it('deletes a group of 25 messages in 3 DeleteMessageBatch calls, each message after its outputs', async () => {
  const fake = new FakeAws();
  const keys = queueImages(fake, 25);
  const messages = await received(fake);
  const { activities, deletedTooEarly } = checkingOutputsFirst(fake, messages);
  const { results, localActivities } = await runGroup(activities, messages);
  expect(deletedTooEarly).toEqual([]);
  expect(results).toEqual(messages.map(() => ({ end: 'deleted', objects: ['written'] })));
  expect(fake.queue).toEqual([]);
  expect(fake.keysIn(SOURCE)).toEqual([]);
  expect(fake.keysIn(RESULTS)).toHaveLength(keys.length * 2);
  // Per message a copy, a document and a source delete; the deletes 10 + 10 + 5 (were 25 DeleteMessage).
  expect(localActivities).toEqual({ copyObject: 25, putJson: 25, deleteObject: 25, deleteMessages: 3 });
});

it('deletes a message alone when its entry of the batch failed, and it ends deleted', async () => {
  const fake = new FakeAws();
  const [, faulty] = queueImages(fake, 3);
  fake.batchDeleteFaults.add(faulty);
  const messages = await received(fake);
  const { results, localActivities } = await runGroup(fake.activities(), messages);
  expect(results.map((result) => result.end)).toEqual(['deleted', 'deleted', 'deleted']);
  expect(fake.queue).toEqual([]);
  expect(localActivities).toMatchObject({ deleteMessages: 1, deleteMessage: 1 });
});

it('leaves queued, and deletes none of, the messages of a DeleteMessageBatch call that failed', async () => {
  const fake = new FakeAws();
  queueImages(fake, 12);
  const messages = await received(fake);
  const refused = ApplicationFailure.nonRetryable(
    'DeleteMessageBatch on http://queue/images failed: AccessDenied: not allowed',
    'AccessDenied',
  );
  let calls = 0;
  const activities = fake.activities();
  const { results } = await runGroup(
    {
      ...activities,
      // The first call (messages 1-10) is refused; the second (11-12) goes through.
      deleteMessages: (queueUrl, receiptHandles) =>
        calls++ === 0 ? Promise.reject(refused) : activities.deleteMessages(queueUrl, receiptHandles),
    },
    messages,
  );
  expect(results.slice(0, 10)).toEqual(
    messages.slice(0, 10).map(() => ({
      end: 'left-queued',
      objects: ['written'],
      failure: { message: refused.message, type: 'AccessDenied', nonRetryable: true },
    })),
  );
  expect(results.slice(10).map((result) => result.end)).toEqual(['deleted', 'deleted']);
  expect(fake.queue.map((message) => message.messageId)).toEqual(
    messages.slice(0, 10).map((message) => message.messageId),
  );
});

it('deletes only the messages whose writes ended: one whose copy failed for the system stays queued', async () => {
  const fake = new FakeAws();
  const [, broken] = queueImages(fake, 3);
  fake.copyFailures.set(
    broken,
    ApplicationFailure.nonRetryable('CopyObject failed: AccessDenied', 'AccessDenied'),
  );
  const messages = await received(fake);
  const { activities, deletedTooEarly } = checkingOutputsFirst(fake, messages);
  const { results, localActivities } = await runGroup(activities, messages);
  expect(deletedTooEarly).toEqual([]);
  expect(results.map((result) => result.end)).toEqual(['deleted', 'left-queued', 'deleted']);
  expect(fake.queue.map((message) => message.messageId)).toEqual([messages[1].messageId]);
  expect(localActivities).toMatchObject({ deleteMessages: 1 });
  expect(localActivities.deleteMessage).toBeUndefined();
});

it('dead-letters a message that must be before its delete, in the same DeleteMessageBatch as the others', async () => {
  const fake = new FakeAws();
  queueImages(fake, 2);
  const [labelled, poisoned] = await received(fake);
  const deadLettered = {
    ...poisoned,
    objects: [],
    deadLetterReason: 'The key is too long for the results layout',
  };
  const activities = fake.activities();
  let deadLettersAtDelete: number | undefined;
  const { results, localActivities } = await runGroup(
    {
      ...activities,
      deleteMessages: (queueUrl, receiptHandles) => {
        deadLettersAtDelete = fake.deadLetters.length;
        return activities.deleteMessages(queueUrl, receiptHandles);
      },
    },
    [labelled, deadLettered],
  );
  expect(deadLettersAtDelete).toBe(1);
  expect(results).toEqual([
    { end: 'deleted', objects: ['written'] },
    { end: 'deleted', objects: [], deadLetterReason: deadLettered.deadLetterReason },
  ]);
  expect(fake.deadLetters).toEqual([{ body: poisoned.body, reason: deadLettered.deadLetterReason }]);
  expect(fake.queue).toEqual([]);
  expect(localActivities).toMatchObject({ sendToDeadLetterQueue: 1, deleteMessages: 1 });
});
