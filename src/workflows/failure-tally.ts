import { ApplicationFailure, isCancellation, log } from '@temporalio/workflow';
import type { ReceivedMessage } from '../activities';
import { failureReason } from './failure-scope';
import type { MessageOutcome } from './process-message';

/**
 * Why the batch stops taking work, if it must: a failure of the system (thrown out of a message), or
 * `maxInARow` messages in a row that failed on their own, which suggests a fault no failure type reveals.
 */
export class FailureTally {
  private stop: { reason: string; type: string } | undefined;
  private failedInARow = 0;

  constructor(private readonly maxInARow: number | undefined) {}

  get stopped(): boolean {
    return this.stop !== undefined;
  }

  /** A message's end; undefined for work that is not a message of its own (a repeated delete). */
  ended(outcome: MessageOutcome | undefined): void {
    if (outcome === undefined) return;
    this.failedInARow = outcome === 'failed' ? this.failedInARow + 1 : 0;
    if (this.maxInARow !== undefined && this.failedInARow >= this.maxInARow) {
      this.stop ??= {
        reason: `${this.failedInARow} messages in a row could not be processed (each is in the dead-letter queue with the reason), which suggests a fault of the system`,
        type: 'TooManyMessageFailures',
      };
    }
  }

  failed(message: ReceivedMessage, error: unknown): void {
    if (isCancellation(error)) return;
    log.error('message left queued after a failure', { messageId: message.messageId, error: String(error) });
    this.stop ??= {
      reason: `a message could not be processed: ${failureReason(error)}`,
      type: 'MessageProcessingFailed',
    };
  }

  throwIfStopped(): void {
    if (this.stop === undefined) return;
    throw ApplicationFailure.nonRetryable(
      `The batch stopped after ${this.stop.reason}. Unprocessed messages stay queued.`,
      this.stop.type,
    );
  }
}
