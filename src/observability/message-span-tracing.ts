import { context, SpanKind, SpanStatusCode, trace, type Attributes, type Span } from '@opentelemetry/api';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import type { ReceivedMessage } from '../activities';
import { openMessageSpansWith, type MessageSpans } from '../workflows/message-span';
import { parseQueueMessage } from '../workflows/s3-event';
import type { MessageWrites } from '../workflows/write-group-types';

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

/**
 * The span of one message's writes in its write group (a child workflow): its copies, documents, source
 * deletes and dead-letter send. Its delete is in a DeleteMessageBatch call shared with other messages,
 * under the group's span. Carries the message's id (and key) as its `message` span in the batch does.
 */
export const MESSAGE_WRITES_SPAN = {
  name: 'message writes',
  /** 'deleted' (off the queue, dead-lettered first if it had to be) or 'left-queued' (ERROR status). */
  end: 'custom_labels_batch.message.end',
  /** Why the message went to the dead-letter queue, when it did. */
  deadLetterReason: 'custom_labels_batch.message.dead_letter_reason',
} as const;

function attributesOf(message: ReceivedMessage, sourceBucket: string): Attributes {
  const content = parseQueueMessage(message.body, sourceBucket);
  return {
    ...messageAttributes(message.messageId, content.kind === 'objects' ? content.objects : []),
    [MESSAGE_SPAN.kind]: content.kind,
  };
}

function messageAttributes(messageId: string, objects: ReadonlyArray<{ key: string }>): Attributes {
  return {
    'messaging.system': 'aws_sqs',
    [MESSAGE_SPAN.messageId]: messageId,
    ...(objects.length === 1 && { [MESSAGE_SPAN.s3Key]: objects[0].key }),
  };
}

/**
 * Opens a span as the active one while `work` starts, so every activity that schedules, now or after an
 * await, is a child of it (the OpenTelemetry workflow interceptors read the sandbox's async context). The
 * span ends in a branch off the work's promise, `ended` saying how, and the caller gets that very promise.
 */
function inSpan<T>(
  name: string,
  kind: SpanKind,
  attributes: Attributes,
  work: () => Promise<T>,
  ended: (span: Span, value: T) => void,
): Promise<T> {
  const span = trace.getTracer('custom-labels-batch/workflows').startSpan(name, { kind, attributes });
  const done = context.with(trace.setSpan(context.active(), span), work);
  void done.then(
    (value) => {
      ended(span, value);
      span.end();
    },
    (error: unknown) => {
      span.setStatus({ code: SpanStatusCode.ERROR, message: String((error as Error)?.message ?? error) });
      span.end();
    },
  );
  return done;
}

const tracedSpans: MessageSpans = {
  processing: (message, messageContext, processMessage) =>
    inSpan(
      MESSAGE_SPAN.name,
      SpanKind.CONSUMER,
      attributesOf(message, messageContext.settings.sourceBucket),
      () => processMessage(message, messageContext),
      (span, outcome) => span.setAttribute(MESSAGE_SPAN.outcome, outcome),
    ),
  writing: (message: MessageWrites, write) =>
    inSpan(
      MESSAGE_WRITES_SPAN.name,
      SpanKind.INTERNAL,
      messageAttributes(
        message.messageId,
        message.objects.map(({ object }) => object),
      ),
      write,
      (span, written) => {
        span.setAttribute(MESSAGE_WRITES_SPAN.end, written.end);
        if (written.end === 'left-queued')
          span.setStatus({ code: SpanStatusCode.ERROR, message: written.failure.message });
        else if (written.deadLetterReason !== undefined)
          span.setAttribute(MESSAGE_WRITES_SPAN.deadLetterReason, written.deadLetterReason);
      },
    ),
  carrying: (call) => context.bind(context.active(), call),
};

/** Bundled in the traced workflow bundle only, after Temporal's OpenTelemetry interceptors. */
export const interceptors: WorkflowInterceptorsFactory = () => {
  openMessageSpansWith(tracedSpans);
  return {};
};
