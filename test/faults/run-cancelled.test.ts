import { CancelledFailure, WorkflowFailedError } from '@temporalio/client';
import { makeBatchFiles } from './support/batch-files';
import {
  completedRun,
  expectNothingLost,
  expectPipelineInvariants,
  runEndedEarly,
} from './support/invariants';
import { messagesDone, ScenarioStack } from './support/scenario-stack';
import { faultRandom } from './support/fault-random';

const IMAGES = 250;

let stack: ScenarioStack;

beforeAll(async () => {
  stack = await ScenarioStack.start('run-cancelled');
});

afterAll(() => stack?.close());

it('stops the model when a run is cancelled mid-batch, loses nothing, and the next run finishes the rest', async () => {
  const random = faultRandom('run-cancelled');
  const files = await makeBatchFiles('cancelled', IMAGES);
  await stack.upload(files);

  const handle = await stack.startBatch();
  const moment = random.between(0.2, 0.6);
  await stack.waitForProgress(handle, (progress) => messagesDone(progress) >= moment * IMAGES);
  await handle.cancel();
  const error: unknown = await stack.finish(handle).catch((reason: unknown) => reason);
  expect(error).toBeInstanceOf(WorkflowFailedError);
  expect((error as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  const cancelled = await runEndedEarly(handle);

  expect(await stack.modelStatus()).toBe('STOPPED');
  expect(await stack.queuedMessages()).toBeGreaterThan(0);
  await expectNothingLost(stack, files);

  await stack.waitUntilNoBatchRuns();
  const summary = await stack.finish(await stack.startBatch());
  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
  await expectPipelineInvariants(stack, { files, runs: [cancelled, completedRun(summary)] });
});
