import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { faultRandom } from './support/fault-random';
import {
  completedRun,
  expectNothingLost,
  expectPipelineInvariants,
  runEndedEarly,
} from './support/invariants';
import { stackPerFile } from './support/stack-lifecycle';

const IMAGES = 250;

const scenarioStack = stackPerFile('run-cancelled');

it('stops the model when a run is cancelled mid-batch, loses nothing, and the next run finishes the rest', async () => {
  const stack = scenarioStack();
  const random = faultRandom('run-cancelled');
  const files = await stack.uploadBatchFiles('cancelled', IMAGES);

  const handle = await stack.startBatch();
  await stack.waitForShareDone(handle, random.between(0.2, 0.6), IMAGES);
  await handle.cancel();
  const error: unknown = await stack.finish(handle).catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  const cancelled = await runEndedEarly(handle);

  expect(await stack.modelStatus()).toBe('STOPPED');
  expect(await stack.queuedMessages()).toBeGreaterThan(0);
  await expectNothingLost(stack, files);

  const summary = await stack.finishNextBatch();
  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
  await expectPipelineInvariants(stack, { files, runs: [cancelled, completedRun(summary)] });
});
