import { WorkflowFailedError } from '@temporalio/client';
import type { BatchFile } from './support/batch-files';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import type { BatchHandle, ScenarioStack } from './support/scenario-stack';
import { stackPerTest } from './support/stack-lifecycle';

const IMAGES = 150;

const startStack = stackPerTest();

/** The failure the run ended with, or a test failure if it did not fail. */
async function failureOf(
  started: ScenarioStack,
  handle: BatchHandle,
): Promise<{ type?: string; message: string }> {
  try {
    await started.finish(handle);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const cause = (error as WorkflowFailedError).cause as { type?: string; message: string };
    return { type: cause.type, message: cause.message };
  }
  throw new Error('the run completed; it was expected to fail');
}

/** After a failed start: not one message taken, not one object touched, nothing written. */
async function expectEverythingStillQueued(started: ScenarioStack, files: BatchFile[]): Promise<void> {
  // The S3 test event sent when the bucket notification was set is queued too.
  expect(await started.queuedMessages()).toBe(files.length + 1);
  expect(started.modelUsage().totals.inferences).toBe(0);
}

it('fails with the reason when the model ends FAILED, leaves every message queued, and the next run processes them', async () => {
  const stack = await startStack('start-failed');
  const files = await stack.uploadBatchFiles('start-failed', IMAGES);

  stack.modelServer.injectFault({ failNextStart: true });
  const failure = await failureOf(stack, await stack.startBatch());
  expect(failure).toMatchObject({
    type: 'ModelStartFailed',
    message: expect.stringMatching(/failed to start/),
  });
  expect(await stack.modelStatus()).toBe('FAILED');
  expect(stack.modelUsage().intervals).toEqual([]);
  await expectEverythingStillQueued(stack, files);

  const summary = await stack.finishNextBatch();
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)] });
});

it('fails when the model is not RUNNING by the start deadline, stops it, leaves every message queued, and the next run processes them', async () => {
  const stack = await startStack('start-hung', { settings: { MODEL_TRANSITION_TIMEOUT: '5s' } });
  const files = await stack.uploadBatchFiles('start-hung', IMAGES);

  stack.modelServer.injectFault({ hangNextStart: true });
  const failure = await failureOf(stack, await stack.startBatch());
  expect(failure).toMatchObject({
    type: 'ModelStartDeadlineExceeded',
    message: expect.stringMatching(/did not reach RUNNING within 5s/),
  });
  // Stopped, not left STARTING: a start that completes later would bill for a model nobody uses.
  expect(await stack.modelStatus()).toBe('STOPPED');
  await expectEverythingStillQueued(stack, files);

  const summary = await stack.finishNextBatch();
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)] });
});
