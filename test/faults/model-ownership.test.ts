import { StartProjectVersionCommand } from '@aws-sdk/client-rekognition';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { sleep, type ScenarioStack } from './support/scenario-stack';
import { stackPerTest } from './support/stack-lifecycle';

const IMAGES = 120;

const startStack = stackPerTest();

/** Someone else (a real-time user of the same model) starts it, without this project's tag. */
async function startAsSomeoneElse(stack: ScenarioStack): Promise<void> {
  await stack.clients.rekognition.send(
    new StartProjectVersionCommand({
      ProjectVersionArn: stack.config.projectVersionArn,
      MinInferenceUnits: 1,
    }),
  );
  while ((await stack.modelStatus()) !== 'RUNNING') await sleep(100);
}

it('starts a model found TRAINING_COMPLETED (trained, never started), processes the batch and stops it', async () => {
  const stack = await startStack('model-found-training-completed');
  // As in AWS: a version fresh from training has never been started.
  expect(await stack.modelStatus()).toBe('TRAINING_COMPLETED');
  const files = await stack.uploadBatchFiles('fresh-model', IMAGES);

  const summary = await stack.finishNextBatch();
  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)] });
});

it('uses a model someone else started and leaves it RUNNING, through a batch and through an empty-queue run', async () => {
  const stack = await startStack('model-started-by-someone-else');
  await startAsSomeoneElse(stack);
  const files = await stack.uploadBatchFiles('someone-elses-model', IMAGES);

  const summary = await stack.finishNextBatch();
  expect(summary).toMatchObject({ startedModel: false, stoppedModel: false });
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)], modelEnd: 'RUNNING' });

  // The next hourly run finds the queue empty and the model up: still not its to stop.
  const idle = await stack.finishNextBatch();
  expect(idle).toMatchObject({ queueWasEmpty: true, startedModel: false, stoppedModel: false });
  expect(await stack.modelStatus()).toBe('RUNNING');
  expect(stack.modelUsage().intervals).toHaveLength(1);
});
