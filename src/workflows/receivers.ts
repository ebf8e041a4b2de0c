import {
  ChildWorkflowFailure,
  condition,
  isCancellation,
  startChild,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import { drainSignal } from './batch-messages';
import { newBatchState, type BatchState } from './batch-state';
import type { BatchSettings } from './batch-types';
import { addCounts, countReportedReceivers } from './receiver-counts';
import type { ReceiversProgress } from './receiver-types';
import { receiverWorkflow } from './receiver-workflow';

type Receiver = ChildWorkflowHandle<typeof receiverWorkflow>;

/** Each receiver's id derives from its batch's, so a replayed or retried batch finds the same ones. */
export function receiverIds(batchId: string, count: number): string[] {
  return Array.from({ length: count }, (_, index) => `${batchId}/receiver-${index + 1}`);
}

/**
 * Step 3 fanned out: one receiver child per window, all on the detect task queue's one rate limit, and
 * any worker runs any of them. Adds each receiver's counts to the batch as it finishes: a receiver
 * that completes returns them, one that fails reports them first; a cancelled one's are not counted
 * (its own progress query has them). A drain signal
 * to the batch, or a receiver failing, drains the others (what they hold finishes, the rest stays
 * queued); cancelling the batch cancels them. Returns once every receiver has ended: only then may the
 * batch stop the model. Throws the first receiver's failure.
 */
export async function runReceivers(
  settings: BatchSettings,
  state: BatchState,
  windows: number[],
  progress: ReceiversProgress,
): Promise<void> {
  countReportedReceivers(state);
  const running = new Map<number, Receiver>();
  let failure: unknown;
  let settled = false;
  const drainRequested = () => state.draining || failure !== undefined;
  const drain = (receiver: Receiver) =>
    // A receiver that has just ended cannot be signalled: it has nothing left to drain.
    receiver.signal(drainSignal).catch(() => undefined);

  const drainer = condition(() => settled || drainRequested()).then(
    () => Promise.all([...running.values()].map(drain)),
    (error: unknown) => {
      // Cancelled with the batch: cancellation reaches every receiver anyway.
      if (!isCancellation(error)) throw error;
    },
  );

  const receive = async (window: number, index: number) => {
    try {
      const receiver = await startChild(receiverWorkflow, {
        workflowId: progress.workflowIds[index],
        args: [{ settings: { ...settings, concurrency: window }, state: receiverState(state, index) }],
      });
      running.set(index, receiver);
      if (drainRequested()) await drain(receiver);
      const result = await receiver.result();
      addCounts(state.counts, result.counts);
      state.pages += result.pages;
    } catch (error) {
      failure ??= error;
    } finally {
      running.delete(index);
      progress.finished += 1;
    }
  };

  await Promise.all(windows.map(receive));
  settled = true;
  await drainer;
  if (failure !== undefined) throw reasonOf(failure);
}

/**
 * A receiver starts with the batch's layout. The first carries the batch's queue count (the receive
 * loop records it once per batch); the others have none.
 */
function receiverState(batch: BatchState, index: number): BatchState {
  return {
    ...newBatchState(),
    phase: 'processing',
    queuedAtStart: index === 0 ? batch.queuedAtStart : 0,
    outputLayout: batch.outputLayout ?? (batch.pages === 0 ? 'by-kind' : 'flat'),
  };
}

/** The receiver's own failure (it names what stopped the batch), unless the batch was cancelled. */
function reasonOf(failure: unknown): unknown {
  if (isCancellation(failure)) return failure;
  return failure instanceof ChildWorkflowFailure && failure.cause ? failure.cause : failure;
}
