import { ScheduleNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { batchIdsFor } from './batch-settings';
import type { Config } from './config/config';
import { UserError } from './config/user-error';
import { scheduleHandle, triggerBatch, upsertSchedule, type ModelChoice } from './schedule';
import { progressQuery, type batchWorkflow } from './workflows';
import type { BatchProgress, BatchSummary } from './workflows/batch-types';

type BatchHandle = WorkflowHandle<typeof batchWorkflow>;

/** The batch the schedule is running now, or else the one it started last. Handles follow continue-as-new. */
export async function latestBatch(client: Client, config: ModelChoice): Promise<BatchHandle | undefined> {
  const description = await scheduleHandle(client, config)
    .describe()
    .catch((error: unknown) => {
      if (error instanceof ScheduleNotFoundError) {
        throw new UserError(
          `no schedule ${batchIdsFor(config.projectVersionArn).scheduleId}: create it with \`schedule create\`.`,
        );
      }
      throw error;
    });
  const running = description.info.runningActions[0]?.workflow;
  const recent = description.info.recentActions.at(-1)?.action.workflow;
  const workflow = running ?? recent;
  return workflow && client.workflow.getHandle<typeof batchWorkflow>(workflow.workflowId);
}

/**
 * Starts a batch now through the schedule (creating it with the default cadence if missing, and then
 * telling `onScheduleCreated`), so the same overlap rule applies: if a batch for this model is already
 * running, that one is returned.
 */
export async function startBatchNow(
  client: Client,
  config: Config,
  onScheduleCreated: (scheduleId: string) => void = () => undefined,
): Promise<BatchHandle> {
  const exists = await scheduleHandle(client, config)
    .describe()
    .then(
      () => true,
      (error: unknown) => {
        if (error instanceof ScheduleNotFoundError) return false;
        throw error;
      },
    );
  if (!exists) {
    await upsertSchedule(client, config);
    onScheduleCreated(batchIdsFor(config.projectVersionArn).scheduleId);
  }
  const before = await scheduleHandle(client, config).describe();
  const known = new Set(before.info.recentActions.map((a) => a.action.workflow.workflowId));
  await triggerBatch(client, config);
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { info } = await scheduleHandle(client, config).describe();
    const started = info.recentActions.find((a) => !known.has(a.action.workflow.workflowId))?.action.workflow;
    const workflow = started ?? info.runningActions[0]?.workflow;
    if (workflow) return client.workflow.getHandle<typeof batchWorkflow>(workflow.workflowId);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    'the schedule did not start a batch within 10 s of the trigger; check `schedule describe`.',
  );
}

/** Reports progress until the batch (including its continue-as-new successors) ends; returns its summary. */
export async function followBatch(
  handle: BatchHandle,
  onProgress: (progress: BatchProgress) => void,
  intervalMs = 500,
): Promise<BatchSummary> {
  const result = handle.result();
  let done = false;
  void result
    .finally(() => {
      done = true;
    })
    .catch(() => undefined);
  while (!done) {
    // A query can fail between the runs of a continue-as-new chain: the next poll or the result tells.
    const progress = await handle.query(progressQuery).catch(() => undefined);
    if (progress) onProgress(progress);
    await Promise.race([
      result.catch(() => undefined),
      new Promise((resolve) => setTimeout(resolve, intervalMs)),
    ]);
  }
  return result;
}
