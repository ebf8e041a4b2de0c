import { ActivityFailure, ApplicationFailure, isCancellation, log } from '@temporalio/workflow';
import type { AwsCalls } from './activity-proxies';
import { failureReason, failureScope } from './failure-scope';
import type {
  CarriedFailure,
  MessageWrites,
  MessageWritten,
  ObjectWrites,
  ObjectWritten,
  WriteGroupInput,
} from './write-group-types';

/** Takes a message off the queue; fails as DeleteMessage does (a receipt no longer valid is no failure). */
export type DeleteMessage = (receiptHandle: string) => Promise<void>;

/**
 * One message's writes, in the order that loses nothing: each object's image copied, its document put
 * and its source deleted; then the message dead-lettered if it must be, and deleted last. A failure of
 * the message alone (its object or key) sends it to the dead-letter queue with the reason; a failure of
 * the system leaves it queued for the next batch, and redoing the steps overwrites the same objects.
 */
export async function writeMessage(
  message: MessageWrites,
  { deadLetterQueueUrl }: WriteGroupInput,
  calls: AwsCalls,
  deleteMessage: DeleteMessage,
): Promise<MessageWritten> {
  const objects: ObjectWritten[] = [];
  let deadLetterReason = message.deadLetterReason;
  try {
    try {
      for (const writes of message.objects) objects.push(await writeObject(writes, calls));
    } catch (error) {
      if (failureScope(error) === 'system') throw error;
      deadLetterReason = failureReason(error);
    }
    if (deadLetterReason !== undefined) {
      log.warn('message sent to the dead-letter queue', {
        messageId: message.messageId,
        reason: deadLetterReason,
      });
      await calls.sendToDeadLetterQueue({
        deadLetterQueueUrl,
        body: message.body,
        reason: deadLetterReason,
        originalMessageId: message.messageId,
      });
    }
    await deleteMessage(message.receiptHandle);
    return { end: 'deleted', objects, deadLetterReason };
  } catch (error) {
    if (isCancellation(error)) throw error;
    return { end: 'left-queued', objects, failure: carried(error) };
  }
}

/**
 * The source is gone when its copy runs: written all the same if its document is in the results (an
 * earlier attempt, whose workflow task was lost with a killed worker, moved it: a local activity's end
 * is recorded only with its task), else gone before it was copied.
 */
async function writeObject(
  { object, image, document, content }: ObjectWrites,
  calls: AwsCalls,
): Promise<ObjectWritten> {
  const copied = await calls.copyObject(object, image);
  if (!copied && !(await calls.resultExists(document))) return 'gone';
  if (copied) await calls.putJson(document, content);
  await calls.deleteObject(object);
  return 'written';
}

function carried(error: unknown): CarriedFailure {
  const cause = error instanceof ActivityFailure && error.cause ? error.cause : error;
  const failure = cause instanceof ApplicationFailure ? cause : undefined;
  return {
    message: failureReason(error),
    type: failure?.type ?? undefined,
    nonRetryable: failure?.nonRetryable ?? false,
  };
}

/** The carried failure, thrown again where the message's end is decided. */
export function rethrown({ message, type, nonRetryable }: CarriedFailure): ApplicationFailure {
  return ApplicationFailure.create({ message, type, nonRetryable });
}
