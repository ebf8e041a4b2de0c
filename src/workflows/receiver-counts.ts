import {
  CancellationScope,
  defineSignal,
  getExternalWorkflowHandle,
  log,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { BatchState } from './batch-state';
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

/** What a receiver that ends without a result (failed or cancelled) had done, over all its runs. */
export interface ReceiverReport {
  receiverId: string;
  counts: BatchCounts;
  pages: number;
}

export const receiverEndedSignal = defineSignal<[ReceiverReport]>('receiverEnded');

/** Receivers recorded before this patch failed or were cancelled without telling their batch their counts. */
const RECEIVERS_REPORT_COUNTS = 'receivers-report-counts';

/**
 * A receiver failing or cancelled: tells its batch run what it did before it ends, and waits until the
 * signal is in the batch's history, so that it comes before the receiver's end there. Cancellation does
 * not interrupt it. A batch already closed (terminated) cannot count it: logged.
 */
export async function reportToBatch(state: BatchState): Promise<void> {
  const { parent, workflowId } = workflowInfo();
  if (!parent || !patched(RECEIVERS_REPORT_COUNTS)) return;
  const report: ReceiverReport = { receiverId: workflowId, counts: state.counts, pages: state.pages };
  await CancellationScope.nonCancellable(() =>
    getExternalWorkflowHandle(parent.workflowId, parent.runId).signal(receiverEndedSignal, report),
  ).catch((error: unknown) => log.warn('the batch could not be told this receiver’s counts', { error: String(error) }));
}

/**
 * The batch's side: adds the counts each receiver reports as it fails or is cancelled (once each); a
 * receiver that completes hands its counts over as its result instead.
 */
export function countReportedReceivers(state: BatchState): void {
  const reported = new Set<string>();
  setHandler(receiverEndedSignal, ({ receiverId, counts, pages }) => {
    if (reported.has(receiverId)) return;
    reported.add(receiverId);
    addCounts(state.counts, counts);
    state.pages += pages;
  });
}
