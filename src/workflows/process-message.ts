import { log } from '@temporalio/workflow';
import type { ReceivedMessage } from '../activities';
import type { AwsCalls } from './activity-proxies';
import type { BatchCounts, BatchSettings } from './batch-types';
import { failureReason, failureScope } from './failure-scope';
import { outputKeyProblem, outputKeys, type OutputLayout } from './output-keys';
import { processObject } from './process-object';
import { WriteTurn, type ReadyFlush } from './ready-flush';
import { parseQueueMessage, type S3ObjectRef } from './s3-event';
import { workflowMetrics } from '../observability/workflow-metrics';

/** Serialises work on one object, so two events for the same image never race each other. */
export class ObjectLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Runs `work` holding every key's lock, taken in one order so that two messages never wait on each other. */
  async runAll<T>(keys: string[], work: () => Promise<T>): Promise<T> {
    let result!: T;
    const locked = [...new Set(keys)].sort().reduceRight<() => Promise<void>>(
      (inner, key) => () => this.run(key, inner),
      async () => {
        result = await work();
      },
    );
    await locked();
    return result;
  }
}

/** How this run processes messages: its layout, and whether one message's failure is that message's alone. */
export interface MessageContext {
  settings: BatchSettings;
  counts: BatchCounts;
  locks: ObjectLocks;
  layout: OutputLayout;
  /** False in runs recorded before failures were dead-lettered: any failure then stops the batch. */
  deadLetterFailures: boolean;
  /** Every AWS call but detection: local activities, or activities in runs recorded before. */
  calls: AwsCalls;
  /** Groups the writes of messages so they share workflow tasks; absent in runs recorded before. */
  ready?: ReadyFlush;
}

/** 'failed': the message could not be processed and went to the dead-letter queue with the reason. */
export type MessageOutcome = 'done' | 'failed';

/**
 * One queue message, start to end. The message is deleted last, only after every output is written (or
 * after it went to the dead-letter queue): a crash anywhere before leaves it queued, and redoing the
 * steps overwrites the same objects. Reads `message.receiptHandle` when it deletes: a redelivery while
 * it works renews it.
 *
 * Every await here is one recorded histories depend on: an extra async step would reorder the commands
 * of messages finishing together, and running batches would no longer replay. Hence the waits for the
 * message's group are awaited only in runs that have one.
 */
export async function processMessage(
  message: ReceivedMessage,
  context: MessageContext,
): Promise<MessageOutcome> {
  const { settings, counts, locks, layout, deadLetterFailures, calls, ready } = context;
  const turn = ready && new WriteTurn(ready);
  const content = parseQueueMessage(message.body, settings.sourceBucket);
  let outcome: MessageOutcome = 'done';
  if (content.kind === 'rejected') {
    if (turn) await turn.ready();
    await deadLetter(message, context, content.reason);
    counts.deadLettered += 1;
    workflowMetrics.messageDeadLettered('rejected');
  } else if (content.kind === 'test-event') {
    counts.testEvents += 1;
  } else {
    let failure = deadLetterFailures ? keyProblem(content.objects, layout) : undefined;
    if (failure === undefined) {
      try {
        for (const object of content.objects) {
          const keys = outputKeys(object.key, layout);
          await locks.run(`${object.bucket}/${object.key}`, () => processObject(object, context, keys, turn));
        }
      } catch (error) {
        if (!deadLetterFailures || failureScope(error) === 'system') throw error;
        failure = failureReason(error);
      }
    }
    if (failure !== undefined) {
      if (turn) await turn.ready();
      await deadLetter(message, context, failure);
      counts.deadLettered += 1;
      workflowMetrics.messageDeadLettered('failed');
      outcome = 'failed';
    }
  }
  if (turn) await turn.ready();
  await calls.deleteMessage(settings.queueUrl, message.receiptHandle);
  counts.messages += 1;
  return outcome;
}

export function keyProblem(objects: S3ObjectRef[], layout: OutputLayout): string | undefined {
  return objects.map((object) => outputKeyProblem(object.key, layout)).find(Boolean);
}

/** Keeps a message that must not be processed, with the reason, for a human to look at. */
function deadLetter(
  message: ReceivedMessage,
  { settings, calls }: MessageContext,
  reason: string,
): Promise<void> {
  log.warn('message sent to the dead-letter queue', { messageId: message.messageId, reason });
  return calls.sendToDeadLetterQueue({
    deadLetterQueueUrl: settings.deadLetterQueueUrl,
    body: message.body,
    reason,
    originalMessageId: message.messageId,
  });
}
