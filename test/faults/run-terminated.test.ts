import { makeBatchFiles } from './support/batch-files';
import {
  completedRun,
  expectNothingLost,
  expectPipelineInvariants,
  runEndedEarly,
} from './support/invariants';
import { messagesDone, ScenarioStack } from './support/scenario-stack';
import { faultRandom } from './support/fault-random';

let stack: ScenarioStack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

it('after a run is terminated mid-batch (model left RUNNING), the next run finishes the rest and stops the model', async () => {
  const images = 250;
  const random = faultRandom('run-terminated');
  stack = await ScenarioStack.start('run-terminated');
  const files = await makeBatchFiles('terminated', images);
  await stack.upload(files);

  const handle = await stack.startBatch();
  const moment = random.between(0.2, 0.6);
  await stack.waitForProgress(handle, (progress) => messagesDone(progress) >= moment * images);
  await handle.terminate('fault injection: terminated mid-batch');
  const terminated = await runEndedEarly(handle);

  // Termination skips every finally: nothing stopped the model.
  expect(await stack.modelStatus()).toBe('RUNNING');
  await expectNothingLost(stack, files);

  await stack.waitUntilNoBatchRuns();
  const summary = await stack.finish(await stack.startBatch());
  // It found the model RUNNING, used it, and stopped it.
  expect(summary).toMatchObject({ startedModel: false, stoppedModel: true });
  await expectPipelineInvariants(stack, { files, runs: [terminated, completedRun(summary)] });
});

it('after a run is terminated past its last message (queue empty, model left RUNNING), the next run stops the model', async () => {
  const images = 100;
  // One message at a time: after the last one the run long-polls the empty queue for a second before it
  // stops the model, a window wide enough to terminate it in.
  stack = await ScenarioStack.start('run-terminated-at-end', { settings: { CONCURRENCY: '1' } });
  const files = await makeBatchFiles('terminated-at-end', images);
  await stack.upload(files);

  const handle = await stack.startBatch();
  // Every message done (the S3 test event too), the run not yet at its final stop: terminate it there.
  await stack.waitForProgress(
    handle,
    (progress) => progress.counts.messages === images + 1 && progress.phase === 'processing',
  );
  await handle.terminate('fault injection: terminated before it could stop the model');
  const terminated = await runEndedEarly(handle);
  expect(await stack.modelStatus()).toBe('RUNNING');
  expect(await stack.queuedMessages()).toBe(0);

  await stack.waitUntilNoBatchRuns();
  const summary = await stack.finish(await stack.startBatch());
  // Nothing to process, but a model is running with nobody to stop it but this run. (It used to end
  // without looking at the model, which then billed every hour until new images arrived.)
  expect(summary).toMatchObject({ queueWasEmpty: true, startedModel: false, stoppedModel: true });
  await expectPipelineInvariants(stack, { files, runs: [terminated, completedRun(summary)] });
});
