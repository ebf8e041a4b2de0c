import type { ReceivedMessage } from '../activities';
import type { MessageContext, MessageOutcome } from './process-message';

type ProcessMessage = (message: ReceivedMessage, context: MessageContext) => Promise<MessageOutcome>;

/**
 * Runs `processMessage(message, context)` in a span of the message's own, returning the very promise
 * it made: no await added, so the commands and their order are the same traced or not.
 */
export type MessageSpan = (
  message: ReceivedMessage,
  context: MessageContext,
  processMessage: ProcessMessage,
) => Promise<MessageOutcome>;

/**
 * Set by the traced bundle's interceptor module (src/observability/message-span-tracing.ts) as each
 * workflow starts; the untraced bundle never sets it, so it holds no tracing code and pays nothing.
 * Module state is per workflow: the SDK gives each workflow its own module cache.
 */
let messageSpan: MessageSpan | undefined;

export function openMessageSpansWith(span: MessageSpan): void {
  messageSpan = span;
}

/** `processMessage(message, context)`, in a message span when the worker traces. */
export function inMessageSpan(
  message: ReceivedMessage,
  context: MessageContext,
  processMessage: ProcessMessage,
): Promise<MessageOutcome> {
  return messageSpan ? messageSpan(message, context, processMessage) : processMessage(message, context);
}
