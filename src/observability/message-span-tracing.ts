import { context, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { ReceivedMessage } from '../activities';
import { openMessageSpansWith, type MessageSpan } from '../workflows/message-span';
import { parseQueueMessage } from '../workflows/s3-event';

/** The span of one SQS message, and the attributes it carries (few values each, but the ids and key). */
export const MESSAGE_SPAN = {
  name: 'message',
  messageId: 'messaging.message.id',
  /** 'objects' (an S3 event), 'test-event' or 'rejected' (not an event for the source bucket). */
  kind: 'custom_labels_batch.message.kind',
  /** The image's key when the event names one object, as S3's notifications do. */
  s3Key: 'aws.s3.key',
  /** What processing the message came to: 'done' or 'failed' (dead-lettered after a failure). */
  outcome: 'custom_labels_batch.message.outcome',
} as const;

function attributesOf(message: ReceivedMessage, sourceBucket: string): Attributes {
  const content = parseQueueMessage(message.body, sourceBucket);
  return {
    'messaging.system': 'aws_sqs',
    [MESSAGE_SPAN.messageId]: message.messageId,
    [MESSAGE_SPAN.kind]: content.kind,
    ...(content.kind === 'objects' &&
      content.objects.length === 1 && { [MESSAGE_SPAN.s3Key]: content.objects[0].key }),
  };
}

/**
 * Opens the message's span as the active one while its processing starts, so every activity that
 * schedules, now or after an await, is a child of it (the OpenTelemetry workflow interceptors read the
 * sandbox's async context). The span ends in a branch off the processing's promise, and the caller gets
 * that very promise.
 */
const tracedMessage: MessageSpan = (message, messageContext, processMessage) => {
  const span = trace.getTracer('custom-labels-batch/workflows').startSpan(MESSAGE_SPAN.name, {
    kind: SpanKind.CONSUMER,
    attributes: attributesOf(message, messageContext.settings.sourceBucket),
  });
  const done = context.with(trace.setSpan(context.active(), span), () =>
    processMessage(message, messageContext),
  );
  void done.then(
    (outcome) => {
      span.setAttribute(MESSAGE_SPAN.outcome, outcome);
      span.end();
    },
    (error: unknown) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error)?.message ?? error) });
      span.end();
    },
  );
  return done;
};

/** Bundled in the traced workflow bundle only, after Temporal's OpenTelemetry interceptors. */
export const interceptors: WorkflowInterceptorsFactory = () => {
  openMessageSpansWith(tracedMessage);
  return {};
};
