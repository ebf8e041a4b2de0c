import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  SendMessageCommand,
  type DeleteMessageBatchRequestEntry,
} from '@aws-sdk/client-sqs';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { createAwsClients } from '../../src/aws-clients';
import { testEnv } from '../support/test-env';

/**
 * DeleteMessageBatch against the local stack's moto, which must refuse what SQS refuses (its limits on
 * entries, src/local/stack/moto_server.py) for the activity's handling of them to be tested at all.
 */
let clients: ReturnType<typeof createAwsClients>;
let activities: ReturnType<typeof createActivities>;

beforeAll(() => {
  clients = createAwsClients({
    awsRegion: 'us-east-1',
    awsEndpointUrl: testEnv('motoEndpoint'),
    rekognitionEndpointUrl: 'http://127.0.0.1:9',
  });
  activities = createActivities(clients);
});

afterAll(() => clients.destroy());

function run<A extends unknown[], R>(fn: (...args: A) => Promise<R>, ...args: A): Promise<R> {
  return new MockActivityEnvironment().run(fn, ...args);
}

/** A queue of the test's own holding `count` messages, received (hidden) with their receipt handles. */
async function receivedMessages(name: string, count: number) {
  const { QueueUrl: queueUrl } = await clients.sqs.send(new CreateQueueCommand({ QueueName: name }));
  for (let i = 0; i < count; i += 1)
    await clients.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: `message ${i}` }));
  const receiptHandles: string[] = [];
  while (receiptHandles.length < count) {
    const messages = await run(activities.receiveMessages, {
      queueUrl: queueUrl!,
      maxMessages: 10,
      visibilityTimeoutSeconds: 60,
      waitTimeSeconds: 0,
    });
    receiptHandles.push(...messages.map((message) => message.receiptHandle));
  }
  return { queueUrl: queueUrl!, receiptHandles };
}

const queued = async (queueUrl: string) => (await run(activities.countQueuedMessages, queueUrl)).total;

it('deletes up to 10 messages in one call, each reported off the queue', async () => {
  const { queueUrl, receiptHandles } = await receivedMessages('delete-batch-ten', 10);
  expect(await run(activities.deleteMessages, queueUrl, receiptHandles)).toEqual(
    receiptHandles.map(() => true),
  );
  expect(await queued(queueUrl)).toBe(0);
});

it('counts an entry whose receipt is no longer valid as deleted, as deleteMessage does', async () => {
  const { queueUrl, receiptHandles } = await receivedMessages('delete-batch-stale', 2);
  await run(activities.deleteMessage, queueUrl, receiptHandles[0]);
  expect(await run(activities.deleteMessages, queueUrl, [...receiptHandles, 'not-a-receipt-handle'])).toEqual(
    [true, true, true],
  );
  expect(await queued(queueUrl)).toBe(0);
});

it('fails without retrying, deleting nothing, when given more than 10 messages, as SQS does', async () => {
  const { queueUrl, receiptHandles } = await receivedMessages('delete-batch-eleven', 11);
  const failure = await run(activities.deleteMessages, queueUrl, receiptHandles).catch(
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'TooManyEntriesInBatchRequest', nonRetryable: true });
  expect((failure as Error).message).toMatch(/^DeleteMessageBatch on .*delete-batch-eleven failed: /);
  expect(await queued(queueUrl)).toBe(11);
});

describe('moto, standing in for SQS', () => {
  const deleteBatch = async (queueUrl: string, entries: DeleteMessageBatchRequestEntry[]) =>
    clients.sqs
      .send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }))
      .catch((error: { name: string }) => error.name);

  it('refuses two entries with one Id, and an Id SQS does not accept, deleting nothing', async () => {
    const { queueUrl, receiptHandles } = await receivedMessages('delete-batch-ids', 2);
    const [first, second] = receiptHandles;
    expect(
      await deleteBatch(queueUrl, [
        { Id: 'same', ReceiptHandle: first },
        { Id: 'same', ReceiptHandle: second },
      ]),
    ).toBe('BatchEntryIdsNotDistinct');
    expect(await deleteBatch(queueUrl, [{ Id: 'not.valid', ReceiptHandle: first }])).toBe(
      'InvalidBatchEntryId',
    );
    expect(await deleteBatch(queueUrl, [{ Id: 'x'.repeat(81), ReceiptHandle: first }])).toBe(
      'InvalidBatchEntryId',
    );
    expect(await queued(queueUrl)).toBe(2);
  });

  it('reports a receipt handle it does not know as the entry’s own failure, a fault of the sender', async () => {
    const { queueUrl, receiptHandles } = await receivedMessages('delete-batch-entry', 1);
    const result = await deleteBatch(queueUrl, [
      { Id: 'known', ReceiptHandle: receiptHandles[0] },
      { Id: 'unknown', ReceiptHandle: 'not-a-receipt-handle' },
    ]);
    expect(result).toMatchObject({
      Successful: [{ Id: 'known' }],
      Failed: [{ Id: 'unknown', Code: 'ReceiptHandleIsInvalid', SenderFault: true }],
    });
  });
});
