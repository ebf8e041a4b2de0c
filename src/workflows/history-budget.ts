import type { WorkflowInfo } from '@temporalio/workflow';

/**
 * A run's history is also bounded in bytes (Temporal warns at 10 MB, fails at 50 MB): results with many
 * labels make big events, so the run hands over at this size whatever its event count.
 */
export const HISTORY_BYTES_PER_RUN = 8 * 1024 * 1024;

/** Whether this run has recorded enough history to hand the batch over to a new run (continue as new). */
export function historyBudgetSpent(
  info: Pick<WorkflowInfo, 'historyLength' | 'historySize' | 'continueAsNewSuggested'>,
  continueAsNewAfterEvents: number | undefined,
): boolean {
  // Batches started before the setting existed keep the rule they were recorded with, so they replay.
  if (continueAsNewAfterEvents === undefined) return info.continueAsNewSuggested;
  return info.historyLength >= continueAsNewAfterEvents || info.historySize >= HISTORY_BYTES_PER_RUN;
}
