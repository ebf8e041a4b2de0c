import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { createActivities } from '../../src/activities';
import { withDivergingWorker } from './support/diverging-worker';
import { completedRun, expectNothingLost, expectPipelineInvariants } from './support/invariants';
import { sleep, type ScenarioStack } from './support/scenario-stack';
import { stackPerTest } from './support/stack-lifecycle';

const IMAGES = 200;

const startStack = stackPerTest();

/** The batch's latest run, once it no longer runs. */
async function closedRun(stack: ScenarioStack, workflowId: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const description = await stack.temporal.client.workflow.getHandle(workflowId).describe();
    if (description.status.name !== 'RUNNING') return description;
    if (Date.now() > deadline) throw new Error(`${workflowId} still RUNNING after ${timeoutMs} ms`);
    await sleep(200);
  }
}

async function failureOf(run: Promise<unknown>): Promise<WorkflowFailedError> {
  const error = await run.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof WorkflowFailedError)) throw new Error(`the run did not fail: ${String(error)}`);
  return error;
}

it('a batch that no longer replays fails, loses nothing, and the next batch stops the model it left RUNNING', async () => {
  // The production default: the batch stays in one run (~22 events an image), so the new code meets a
  // run with history. A run begun by continue-as-new just before the stop would start on the new code,
  // which it replays.
  const stack = await startStack('nondeterministic-run', {
    settings: { CONTINUE_AS_NEW_AFTER_EVENTS: '8000' },
  });
  const files = await stack.uploadBatchFiles('nondeterministic', IMAGES);
  const startedBy = () => createActivities(stack.clients).modelStartedBy(stack.config.projectVersionArn);

  const handle = await stack.startBatch();
  // Mid-batch: the model RUNNING, some images done. What the run last reported is what it ever reports:
  // failed, it does not replay, so it answers no query.
  const { counts } = await stack.waitForShareDone(handle, 0.3, IMAGES);
  const { runId } = await handle.describe();
  // A deployment of workflow code changed without patched(): the production worker stops, the new one
  // takes the batch's next task.
  await stack.worker.stop();
  const failed = await withDivergingWorker(stack, () => closedRun(stack, handle.workflowId));

  // Failed at once (no task retried for nondeterminism), by the worker (not timed out, not terminated), with the
  // SDK's nondeterminism code: the failure carries no type, only TMPRL1100 in its message.
  expect(failed).toMatchObject({ runId, status: { name: 'FAILED' } });
  const failedRun = stack.temporal.client.workflow.getHandle(handle.workflowId, failed.runId);
  const { events } = await failedRun.fetchHistory();
  // A task may fail as UnhandledCommand (events arrived while it ran) and be retried; none for nondeterminism.
  const retriedForNondeterminism = (events ?? []).filter((event) =>
    event.workflowTaskFailedEventAttributes?.failure?.message?.includes('Nondeterminism'),
  );
  expect(retriedForNondeterminism).toEqual([]);
  const failure = await failureOf(failedRun.result());
  expect(failure.cause).toBeInstanceOf(ApplicationFailure);
  expect(failure.cause?.message).toMatch(/^\[TMPRL1100\] Nondeterminism error: /);
  // Its finally never ran: the model is left RUNNING, still tagged as this batch's, and nothing is lost.
  expect(await stack.modelStatus()).toBe('RUNNING');
  expect(await startedBy()).toEqual({ batchId: handle.workflowId });
  await expectNothingLost(stack, files);

  await stack.worker.start();
  const summary = await stack.finishNextBatch();
  // The next batch found the model up and left by a batch of this project: it used it and stopped it.
  expect(summary).toMatchObject({ startedModel: false, stoppedModel: true });
  expect(summary.inferenceUnits?.reason).toMatch(
    /^the model was already STARTING or RUNNING \(started elsewhere or left up\)/,
  );
  expect(await startedBy()).toEqual({});
  await expectPipelineInvariants(stack, {
    files,
    runs: [{ ended: 'early', counts }, completedRun(summary)],
    nonReplayableRunId: failed.runId,
  });
});
