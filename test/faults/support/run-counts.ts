import type { BatchCounts, BatchSummary } from '../../../src/workflows/batch-types';
import { progressQuery } from '../../../src/workflows';
import { emptyCounts } from '../../../src/workflows/batch-state';
import { addCounts } from '../../../src/workflows/receiver-counts';
import type { BatchHandle } from './scenario-stack';

/** What one run of the batch reported: a completed run's summary, or the last counts of one cut short. */
export interface RunRecord {
  ended: 'completed' | 'early';
  counts: BatchCounts;
}

export function completedRun(summary: BatchSummary): RunRecord {
  return { ended: 'completed', counts: summary.counts };
}

/** A cancelled or terminated run still answers queries: its counts as they were when it ended. */
export async function runEndedEarly(handle: BatchHandle): Promise<RunRecord> {
  return { ended: 'early', counts: (await handle.query(progressQuery)).counts };
}

function sumCounts(runs: RunRecord[]): BatchCounts {
  const total = emptyCounts();
  for (const { counts } of runs) addCounts(total, counts);
  return total;
}

/**
 * Runs that completed account for every result exactly. SQS delivers at least once, so a message may
 * come back after its work is done: the redelivery finds its object gone and counts as skipped, and a rejected message
 * is dead-lettered again. A run cut short (cancelled, terminated) leaves its in-flight messages
 * half done: some counted but redone by the next run, some finished but counted by none.
 */
export function expectCountsMatch(
  runs: RunRecord[],
  expected: {
    inBuckets: { processed: number; failed: number; deadLetters: number; distinctDeadLetters: number };
    /** Skips the scenario causes on purpose (duplicates, deleted objects). */
    skipped: number;
    /** No other skip: no message was worked on twice. */
    skippedExactly: boolean;
    failedByReason: Record<string, number>;
    /** Messages a run has in flight at most: what a run cut short can leave half done. */
    concurrency: number;
  },
): void {
  const { inBuckets } = expected;
  const total = sumCounts(runs);
  const endedEarly = runs.filter((run) => run.ended === 'early').length;
  if (expected.skippedExactly) expect(total.skipped).toBe(expected.skipped);
  else expect(total.skipped).toBeGreaterThanOrEqual(expected.skipped);
  expect(total.deadLettered).toBeLessThanOrEqual(inBuckets.deadLetters);
  if (endedEarly === 0) {
    expect({
      processed: total.processed,
      failed: total.failed,
      failedByReason: total.failedByReason,
    }).toEqual({
      processed: inBuckets.processed,
      failed: inBuckets.failed,
      failedByReason: expected.failedByReason,
    });
    expect(total.deadLettered).toBeGreaterThanOrEqual(inBuckets.distinctDeadLetters);
    expect(total.messages).toBe(
      total.processed + total.failed + total.skipped + total.deadLettered + total.testEvents,
    );
    return;
  }
  // Cut short, a run may have counted a message it never finished (the next run redoes it and
  // counts it again, rewriting the same result) or finished one it never counted: at most the
  // messages it had in flight.
  const drift = Math.abs(inBuckets.processed - total.processed) + Math.abs(inBuckets.failed - total.failed);
  expect(drift).toBeLessThanOrEqual(expected.concurrency * endedEarly);
}
