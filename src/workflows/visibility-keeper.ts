import { condition, isCancellation, log, patched } from '@temporalio/workflow';
import type { AwsCalls } from './activity-proxies';
import type { BatchSettings } from './batch-types';
import type { HeldMessages } from './held-messages';

/** Runs recorded before this patch measured how long a message was hidden in workflow time; replay keeps that. */
const HIDDEN_TIME_IN_LOOKS = 'hidden-time-in-looks';

/**
 * Keeps the messages this run works on hidden for as long as it works on them. It looks every third of
 * the visibility timeout, and only while messages are held (each look is a durable timer: a Temporal
 * action), and extends only a message hidden for a whole look or more: most messages finish before and
 * cost nothing; one that waits on retries is extended with at least a third of its timeout to spare.
 */
export async function keepHeldMessagesHidden(
  settings: BatchSettings,
  calls: AwsCalls,
  held: HeldMessages,
  done: () => boolean,
): Promise<void> {
  const timeoutMs = settings.messageVisibilityTimeoutSeconds * 1000;
  const lookEveryMs = Math.max(1, Math.floor(timeoutMs / 3));
  const countsLooks = patched(HIDDEN_TIME_IN_LOOKS);
  for (;;) {
    await condition(() => held.size > 0 || done());
    if (done()) return;
    held.beginLook();
    if (await condition(done, lookEveryMs)) return;
    const due = countsLooks
      ? held.takeHiddenThroughALook()
      : held.takeHiddenLongerThan(lookEveryMs, Date.now());
    await Promise.all(
      due.map((message) =>
        calls
          .extendVisibility({
            queueUrl: settings.queueUrl,
            receiptHandle: message.receiptHandle,
            visibilityTimeoutSeconds: settings.messageVisibilityTimeoutSeconds,
          })
          .catch((error: unknown) => {
            if (isCancellation(error)) throw error;
            // Not fatal: a message that shows up again is recognised as held (see HeldMessages).
            log.warn('could not extend a message’s visibility', {
              messageId: message.messageId,
              error: String(error),
            });
          }),
      ),
    );
  }
}
