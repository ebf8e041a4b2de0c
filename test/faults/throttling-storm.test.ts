import { makeBatchFiles } from './support/batch-files';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { ScenarioStack } from './support/scenario-stack';

let stack: ScenarioStack;

beforeAll(async () => {
  stack = await ScenarioStack.start('throttling');
});

afterAll(() => stack?.close());

it('rides out a throttling storm (half of all DetectCustomLabels calls rejected for a while): nothing fails', async () => {
  const files = await makeBatchFiles('storm', 200);
  await stack.upload(files);

  const handle = await stack.startBatch();
  await stack.waitForProgress(handle, (progress) => progress.phase === 'processing');
  stack.modelServer.injectFault({ throttleFraction: 0.5, throttleForMs: 8_000 });
  const summary = await stack.finish(handle);

  // The storm hit, and every throttled call was retried until it got through.
  expect(stack.modelUsage().totals.throttled).toBeGreaterThan(0);
  expect(summary.counts.failedByReason).not.toHaveProperty('ProvisionedThroughputExceededException');
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)] });
});
