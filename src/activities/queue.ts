import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { cancellationSignal } from '@temporalio/activity';
import { logAwsFailure } from '../observability/activity-telemetry';
import { awsCall, ignoreError } from './aws-errors';
import type { ActivityDeps } from './deps';

export interface QueueCount {
  visible: number;
  inFlight: number;
  delayed: number;
  total: number;
}

export interface ReceivedMessage {
  messageId: string;
  receiptHandle: string;
  body: string;
}

export function createQueueActivities({ sqs }: ActivityDeps) {
  return {
    /** Visible, in-flight and delayed messages: a queue is empty only when all three are zero. */
    async countQueuedMessages(queueUrl: string): Promise<QueueCount> {
      const { Attributes: attributes = {} } = await awsCall(`GetQueueAttributes on ${queueUrl}`, () =>
        sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: queueUrl,
            AttributeNames: [
              'ApproximateNumberOfMessages',
              'ApproximateNumberOfMessagesNotVisible',
              'ApproximateNumberOfMessagesDelayed',
            ],
          }),
        ),
      );
      const visible = Number(attributes.ApproximateNumberOfMessages ?? 0);
      const inFlight = Number(attributes.ApproximateNumberOfMessagesNotVisible ?? 0);
      const delayed = Number(attributes.ApproximateNumberOfMessagesDelayed ?? 0);
      return { visible, inFlight, delayed, total: visible + inFlight + delayed };
    },

    async receiveMessages(request: {
      queueUrl: string;
      maxMessages: number;
      visibilityTimeoutSeconds: number;
      waitTimeSeconds: number;
    }): Promise<ReceivedMessage[]> {
      const { Messages: messages = [] } = await awsCall(`ReceiveMessage on ${request.queueUrl}`, () =>
        sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: request.queueUrl,
            MaxNumberOfMessages: Math.max(1, Math.min(10, request.maxMessages)),
            VisibilityTimeout: request.visibilityTimeoutSeconds,
            WaitTimeSeconds: request.waitTimeSeconds,
          }),
          { abortSignal: cancellationSignal() },
        ),
      );
      return messages.map((message) => ({
        messageId: message.MessageId ?? '',
        receiptHandle: message.ReceiptHandle ?? '',
        body: message.Body ?? '',
      }));
    },

    /**
     * Hides a message being worked on for another `visibilityTimeoutSeconds` from now. False when the
     * message is no longer held under this receipt (deleted, or received again since): nothing to keep.
     */
    async extendVisibility(request: {
      queueUrl: string;
      receiptHandle: string;
      visibilityTimeoutSeconds: number;
    }): Promise<boolean> {
      return awsCall(`ChangeMessageVisibility on ${request.queueUrl}`, () =>
        sqs
          .send(
            new ChangeMessageVisibilityCommand({
              QueueUrl: request.queueUrl,
              ReceiptHandle: request.receiptHandle,
              VisibilityTimeout: request.visibilityTimeoutSeconds,
            }),
          )
          .then(() => true, ignoreError('ReceiptHandleIsInvalid', false))
          .catch(ignoreError('MessageNotInflight', false)),
      );
    },

    /** Deleting twice is harmless: a message already gone (stale receipt) counts as deleted. */
    async deleteMessage(queueUrl: string, receiptHandle: string): Promise<void> {
      await awsCall(`DeleteMessage on ${queueUrl}`, () =>
        sqs
          .send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: receiptHandle }))
          .then(() => undefined, ignoreError('ReceiptHandleIsInvalid')),
      );
    },

    /**
     * Deletes up to 10 messages (SQS's limit) in one DeleteMessageBatch call, billed as one request. Per
     * message, in order: true when it is off the queue (a receipt no longer valid counts, as in
     * deleteMessage); false when its entry failed otherwise (a fault of SQS, or another refusal: logged
     * with its code), and its caller deletes that message alone, so it ends as a single delete does.
     */
    async deleteMessages(queueUrl: string, receiptHandles: string[]): Promise<boolean[]> {
      const what = `DeleteMessageBatch on ${queueUrl}`;
      const {
        Successful = [],
        Failed = [],
        $metadata,
      } = await awsCall(what, () =>
        sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: receiptHandles.map((receiptHandle, index) => ({
              Id: String(index),
              ReceiptHandle: receiptHandle,
            })),
          }),
        ),
      );
      const deleted = new Set(Successful.map((entry) => entry.Id));
      for (const entry of Failed) {
        if (entry.Code === 'ReceiptHandleIsInvalid') deleted.add(entry.Id);
        else {
          const error = { name: entry.Code, message: entry.Message, $metadata };
          logAwsFailure(`${what}, entry ${entry.Id}`, error, !entry.SenderFault);
        }
      }
      return receiptHandles.map((_, index) => deleted.has(String(index)));
    },

    /** Keeps a message that must never be processed, with the reason, for a human to look at. */
    async sendToDeadLetterQueue(request: {
      deadLetterQueueUrl: string;
      body: string;
      reason: string;
      originalMessageId: string;
    }): Promise<void> {
      await awsCall(`SendMessage to ${request.deadLetterQueueUrl}`, () =>
        sqs.send(
          new SendMessageCommand({
            QueueUrl: request.deadLetterQueueUrl,
            MessageBody: request.body === '' ? '(empty message body)' : request.body,
            MessageAttributes: {
              RejectedReason: { DataType: 'String', StringValue: request.reason },
              OriginalMessageId: { DataType: 'String', StringValue: request.originalMessageId },
            },
          }),
        ),
      );
    },
  };
}
