import { completedRun, expectPipelineInvariants } from './support/invariants';
import { stackPerFile } from './support/stack-lifecycle';

const scenarioStack = stackPerFile('throttling');

it('rides out a throttling storm (half of all DetectCustomLabels calls rejected for a while): nothing fails', async () => {
  const stack = scenarioStack();
  const files = await stack.uploadBatchFiles('storm', 200);

  const handle = await stack.startBatch();
  await stack.waitForProgress(handle, (progress) => progress.phase === 'processing');
  stack.modelServer.injectFault({ throttleFraction: 0.5, throttleForMs: 8_000 });
  const summary = await stack.finish(handle);

  // The storm hit, and every throttled call was retried until it got through.
  expect(stack.modelUsage().totals.throttled).toBeGreaterThan(0);
  expect(summary.counts.failedByReason).not.toHaveProperty('ProvisionedThroughputExceededException');
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)] });
});
