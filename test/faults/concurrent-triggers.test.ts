import { scheduleHandle } from '../../src/schedule';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { stackPerFile } from './support/stack-lifecycle';

const scenarioStack = stackPerFile('concurrent-triggers');

it('runs one batch when two are triggered at once for the same model, and processes nothing twice', async () => {
  const stack = scenarioStack();
  const files = await stack.uploadBatchFiles('triggered-twice', 200);

  const [first, second] = await Promise.all([stack.startBatch(), stack.startBatch()]);
  // Both callers follow the one batch that runs.
  expect(second.workflowId).toBe(first.workflowId);
  const summary = await stack.finish(first);

  // The second trigger is either skipped for overlap or merged with the first before the scheduler
  // looks at overlap (then it is not counted as skipped): either way, one action is taken.
  const { info } = await scheduleHandle(stack.temporal.client, stack.config).describe();
  expect(info.numActionsTaken).toBe(1);
  expect(info.numActionsSkippedOverlap).toBeLessThanOrEqual(1);
  const usage = stack.modelUsage();
  expect(usage.totals.starts).toBe(1);
  // One model call per message: none for a second batch (a redelivered message finds its object gone).
  expect(usage.totals.inferences).toBe(files.length + summary.counts.skipped);
  await expectPipelineInvariants(stack, { files, runs: [completedRun(summary)] });
});
