import { WorkflowFailedError } from '@temporalio/client';
import { makeBatchFiles, type BatchFile } from './support/batch-files';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { ScenarioStack, type BatchHandle } from './support/scenario-stack';

const IMAGES = 150;

let stack: ScenarioStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

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
  stack = await ScenarioStack.start('start-failed');
  const files = await makeBatchFiles('start-failed', IMAGES);
  await stack.upload(files);

  stack.modelServer.injectFault({ failNextStart: true });
  const failure = await failureOf(stack, await stack.startBatch());
  expect(failure).toMatchObject({
    type: 'ModelStartFailed',
    message: expect.stringMatching(/failed to start/),
  });
  expect(await stack.modelStatus()).toBe('FAILED');
  expect(stack.modelUsage().intervals).toEqual([]);
  await expectEverythingStillQueued(stack, files);

  await stack.waitUntilNoBatchRuns();
  const summary = await stack.finish(await stack.startBatch());
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)] });
});

it('fails when the model is not RUNNING by the start deadline, stops it, leaves every message queued, and the next run processes them', async () => {
  stack = await ScenarioStack.start('start-hung', { settings: { MODEL_TRANSITION_TIMEOUT: '5s' } });
  const files = await makeBatchFiles('start-hung', IMAGES);
  await stack.upload(files);

  stack.modelServer.injectFault({ hangNextStart: true });
  const failure = await failureOf(stack, await stack.startBatch());
  expect(failure).toMatchObject({
    type: 'ModelStartDeadlineExceeded',
    message: expect.stringMatching(/did not reach RUNNING within 5s/),
  });
  // Stopped, not left STARTING: a start that completes later would bill for a model nobody uses.
  expect(await stack.modelStatus()).toBe('STOPPED');
  await expectEverythingStillQueued(stack, files);

  await stack.waitUntilNoBatchRuns();
  const summary = await stack.finish(await stack.startBatch());
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)] });
});
