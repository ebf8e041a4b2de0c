import { ReceiveMessageCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Sends a message with this body, as a buggy producer or a redelivery would. */
export async function sendRaw(sqs: SQSClient, queueUrl: string, body: string): Promise<void> {
  await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
}

/** The body of a queued S3 event for one of the batch's objects, read without taking it (stays visible). */
export async function peekObjectEvent(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Messages: messages = [] } = await sqs.send(
    new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, VisibilityTimeout: 0 }),
  );
  const event = messages.find((message) => message.Body?.includes('"Records"'));
  if (!event?.Body) throw new Error('no S3 event in the queue to duplicate');
  return event.Body;
}

/** A well-formed S3 event, but for a bucket the pipeline does not own. */
export function foreignBucketEvent(key: string): string {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: 'someone-elses-bucket' }, object: { key, size: 1234 } },
      },
    ],
  });
}
