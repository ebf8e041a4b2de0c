import type { ReceivedMessage } from '../activities';
import type { MessageContext, MessageOutcome } from './process-message';
import type { MessageWrites, MessageWritten } from './write-group-types';

type ProcessMessage = (message: ReceivedMessage, context: MessageContext) => Promise<MessageOutcome>;

/**
 * How the traced bundle opens a message's spans. Each returns the very promise it was given to make, or
 * the very result of the call: no await added, so the commands and their order are the same traced or not.
 */
export interface MessageSpans {
  /** `processMessage(message, context)` in a span of the message's own, in the batch (or receiver). */
  processing(
    message: ReceivedMessage,
    context: MessageContext,
    processMessage: ProcessMessage,
  ): Promise<MessageOutcome>;
  /** `write()`, one message's writes in its write group, in a span of that message's own. */
  writing(message: MessageWrites, write: () => Promise<MessageWritten>): Promise<MessageWritten>;
  /** `call`, bound to the span active now: what it starts later (a local activity) is that span's child. */
  carrying<R>(call: () => R): () => R;
}

/**
 * Set by the traced bundle's interceptor module (src/observability/message-span-tracing.ts) as each
 * workflow starts; the untraced bundle never sets it, so it holds no tracing code and pays nothing.
 * Module state is per workflow: the SDK gives each workflow its own module cache.
 */
let spans: MessageSpans | undefined;

export function openMessageSpansWith(messageSpans: MessageSpans): void {
  spans = messageSpans;
}

/** `processMessage(message, context)`, in a message span when the worker traces. */
export function inMessageSpan(
  message: ReceivedMessage,
  context: MessageContext,
  processMessage: ProcessMessage,
): Promise<MessageOutcome> {
  return spans ? spans.processing(message, context, processMessage) : processMessage(message, context);
}

/** `write()`, in a span of the message's writes when the worker traces. */
export function inWriteSpan(
  message: MessageWrites,
  write: () => Promise<MessageWritten>,
): Promise<MessageWritten> {
  return spans ? spans.writing(message, write) : write();
}

/** `call`, to run later in the span active now (the caller's) when the worker traces. */
export function inCallersSpan<R>(call: () => R): () => R {
  return spans ? spans.carrying(call) : call;
}
