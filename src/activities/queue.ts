import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
} from '@aws-sdk/client-sqs';
import { cancellationSignal } from '@temporalio/activity';
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
