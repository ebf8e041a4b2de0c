import type { BatchCounts } from './batch-types';

/** Adds a receiver's counts to the batch's. */
export function addCounts(total: BatchCounts, part: BatchCounts): void {
  total.processed += part.processed;
  total.failed += part.failed;
  total.skipped += part.skipped;
  total.deadLettered += part.deadLettered;
  total.testEvents += part.testEvents;
  total.messages += part.messages;
  for (const [reason, count] of Object.entries(part.failedByReason)) {
    total.failedByReason[reason] = (total.failedByReason[reason] ?? 0) + count;
  }
}
