import {
  CancellationScope,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { emptyCounts, type BatchState } from './batch-state';
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

/** What a receiver that fails did since its last report. */
export interface ReceiverReport {
  receiverId: string;
  counts: BatchCounts;
  pages: number;
}

export const receiverEndedSignal = defineSignal<[ReceiverReport]>('receiverEnded');

/** Receivers recorded before this patch failed without telling their batch their counts. */
const RECEIVERS_REPORT_COUNTS = 'receivers-report-counts';

/**
 * A receiver failing: tells its batch run what it did, over all its runs, before it ends. Each report
 * waits until the signal is in the batch's history, so it comes before the receiver's end there; work
 * that ends meanwhile goes in one more report. A batch already closed (terminated) cannot count it:
 * logged.
 */
export async function reportToBatch(state: BatchState): Promise<void> {
  const { parent, workflowId } = workflowInfo();
  if (!parent || !patched(RECEIVERS_REPORT_COUNTS)) return;
  const batch = getExternalWorkflowHandle(parent.workflowId, parent.runId);
  const told = { counts: emptyCounts(), pages: 0 };
  await CancellationScope.nonCancellable(async () => {
    for (;;) {
      const counts = countsSince(state.counts, told.counts);
      const pages = state.pages - told.pages;
      if (pages === 0 && countsNothing(counts)) return;
      addCounts(told.counts, counts);
      told.pages += pages;
      await batch.signal(receiverEndedSignal, { receiverId: workflowId, counts, pages });
    }
  }).catch((error: unknown) =>
    log.warn('the batch could not be told this receiver’s counts', { error: String(error) }),
  );
}

/**
 * The batch's side: adds what each receiver reports as it fails; a receiver that completes hands its
 * counts over as its result instead.
 */
export function countReportedReceivers(state: BatchState): void {
  setHandler(receiverEndedSignal, ({ counts, pages }) => {
    addCounts(state.counts, counts);
    state.pages += pages;
  });
}

/** What `now` counts beyond `before` (counts only grow). */
function countsSince(now: BatchCounts, before: BatchCounts): BatchCounts {
  const failedByReason: Record<string, number> = {};
  for (const [reason, count] of Object.entries(now.failedByReason)) {
    const more = count - (before.failedByReason[reason] ?? 0);
    if (more > 0) failedByReason[reason] = more;
  }
  return {
    processed: now.processed - before.processed,
    failed: now.failed - before.failed,
    failedByReason,
    skipped: now.skipped - before.skipped,
    deadLettered: now.deadLettered - before.deadLettered,
    testEvents: now.testEvents - before.testEvents,
    messages: now.messages - before.messages,
  };
}

function countsNothing({ failedByReason, ...totals }: BatchCounts): boolean {
  return Object.values(totals).every((count) => count === 0) && Object.keys(failedByReason).length === 0;
}
