import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { countAwsRequests } from '../../src/cost/aws-requests';
import { createQueueActivities } from '../../src/activities/queue';
import type { ActivityDeps } from '../../src/activities/deps';
import { HISTORIES_DIR } from '../support/histories';

/**
 * The activity's reading of a DeleteMessageBatch answer, on answers the local stack cannot give (SQS's
 * own faults on single entries): only an entry reported successful, or whose receipt is no longer
 * valid, counts as off the queue; any other failed or missing entry is left to a DeleteMessage of its own.
 */
function answering(answer: unknown) {
  const sqs = { send: jest.fn().mockResolvedValue(answer) };
  const { deleteMessages } = createQueueActivities({ sqs: sqs as unknown as SQSClient } as ActivityDeps);
  return { deleteMessages, sqs };
}

it('sends the receipts as entries numbered in order, and reads each entry’s end by its number', async () => {
  const { deleteMessages, sqs } = answering({
    Successful: [{ Id: '0' }, { Id: '3' }],
    Failed: [
      { Id: '1', SenderFault: false, Code: 'InternalError', Message: 'try again' },
      { Id: '2', SenderFault: true, Code: 'ReceiptHandleIsInvalid', Message: 'gone' },
      { Id: '4', SenderFault: true, Code: 'InvalidParameterValue', Message: 'no' },
    ],
    $metadata: { httpStatusCode: 200 },
  });
  expect(await deleteMessages('https://queue', ['a', 'b', 'c', 'd', 'e', 'f'])).toEqual([
    true,
    false,
    true,
    true,
    false,
    // Reported neither way: not known to be off the queue.
    false,
  ]);
  const [command] = sqs.send.mock.calls[0] as [{ input: unknown }];
  expect(command.input).toEqual({
    QueueUrl: 'https://queue',
    Entries: ['a', 'b', 'c', 'd', 'e', 'f'].map((receiptHandle, index) => ({
      Id: String(index),
      ReceiptHandle: receiptHandle,
    })),
  });
});

describe('countAwsRequests on a recorded write group of 25 one-image messages', () => {
  it('counts each DeleteMessageBatch call as one SQS request, however many messages it deletes', () => {
    const recorded = readFileSync(
      join(
        HISTORIES_DIR,
        '2026-12-02-delete-batch.deletes-a-group-of-25-messages-in-3-deletemessagebatch-calls-each-message-after-.json',
      ),
      'utf8',
    );
    const requests = countAwsRequests([historyFromJSON(JSON.parse(recorded))]);
    expect(requests).toMatchObject({ sqs: 3, s3Writes: 50, s3Deletes: 25, unclassified: [] });
    expect(requests.byActivity).toEqual({ copyObject: 25, putJson: 25, deleteObject: 25, deleteMessages: 3 });
  });
});
