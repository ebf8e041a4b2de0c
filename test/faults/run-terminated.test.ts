import { faultRandom } from './support/fault-random';
import {
  completedRun,
  expectNothingLost,
  expectPipelineInvariants,
  runEndedEarly,
} from './support/invariants';
import { stackPerTest } from './support/stack-lifecycle';

const startStack = stackPerTest();

it('after a run is terminated mid-batch (model left RUNNING), the next run finishes the rest and stops the model', async () => {
  const images = 250;
  const random = faultRandom('run-terminated');
  const stack = await startStack('run-terminated');
  const files = await stack.uploadBatchFiles('terminated', images);

  const handle = await stack.startBatch();
  await stack.waitForShareDone(handle, random.between(0.2, 0.6), images);
  await handle.terminate('fault injection: terminated mid-batch');
  const terminated = await runEndedEarly(handle);

  // Termination skips every finally: nothing stopped the model.
  expect(await stack.modelStatus()).toBe('RUNNING');
  await expectNothingLost(stack, files);

  const summary = await stack.finishNextBatch();
  // It found the model RUNNING, used it, and stopped it.
  expect(summary).toMatchObject({ startedModel: false, stoppedModel: true });
  await expectPipelineInvariants(stack, { files, runs: [terminated, completedRun(summary)] });
});

it('after a run is terminated past its last message (queue empty, model left RUNNING), the next run stops the model', async () => {
  const images = 100;
  // One message at a time: after the last one the run long-polls the empty queue for a second before it
  // stops the model, a window wide enough to terminate it in.
  const stack = await startStack('run-terminated-at-end', { settings: { CONCURRENCY: '1' } });
  const files = await stack.uploadBatchFiles('terminated-at-end', images);

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

  const summary = await stack.finishNextBatch();
  // Nothing to process, but a model is running with nobody to stop it but this run. (It used to end
  // without looking at the model, which then billed every hour until new images arrived.)
  expect(summary).toMatchObject({ queueWasEmpty: true, startedModel: false, stoppedModel: true });
  await expectPipelineInvariants(stack, { files, runs: [terminated, completedRun(summary)] });
});
