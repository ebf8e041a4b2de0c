import type { Client } from '@temporalio/client';
import { followBatch, startBatchNow } from '../src/batch-runs';
import type { Config } from '../src/config/config';
import { pricesFrom } from '../src/cost/prices';
import { scheduleHandle, upsertSchedule } from '../src/schedule';
import type { BatchSummary } from '../src/workflows/batch-types';
import { readBatchHistory, type BatchHistory } from './batch-history';

export interface PipelineBatch {
  /** Epoch ms just before the trigger. */
  triggeredAt: number;
  /** Epoch ms when the batch's result was in hand. */
  resultAt: number;
  summary: BatchSummary;
  history: BatchHistory;
}

/**
 * One batch the way production runs it: the schedule (created as `schedule create` does) is
 * triggered, and the batch followed to its end through every continue-as-new. The schedule is
 * deleted afterwards so that no hourly run starts in the middle of another scenario.
 */
export async function runPipelineBatch(
  client: Client,
  config: Config,
  log: (line: string) => void,
): Promise<PipelineBatch> {
  await upsertSchedule(client, config);
  try {
    const triggeredAt = Date.now();
    const handle = await startBatchNow(client, config);
    let lastLog = 0;
    const summary = await followBatch(
      handle,
      (progress) => {
        if (Date.now() - lastLog < 10_000) return;
        lastLog = Date.now();
        log(
          `  ${progress.phase}: ${progress.counts.messages}/${progress.queuedAtStart} messages, ` +
            `${progress.inFlight} in flight, run ${progress.continuedAsNew + 1}`,
        );
      },
      2_000,
    );
    const resultAt = Date.now();
    const history = await readBatchHistory(client, handle.workflowId, summary, pricesFrom(config));
    return { triggeredAt, resultAt, summary, history };
  } finally {
    await scheduleHandle(client, config)
      .delete()
      .catch(() => undefined);
  }
}
