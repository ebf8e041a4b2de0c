import { scheduleHandle } from '../../src/schedule';
import { makeBatchFiles } from './support/batch-files';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { ScenarioStack } from './support/scenario-stack';

let stack: ScenarioStack;

beforeAll(async () => {
  stack = await ScenarioStack.start('concurrent-triggers');
});

afterAll(() => stack?.close());

it('runs one batch when two are triggered at once for the same model, and processes nothing twice', async () => {
  const files = await makeBatchFiles('triggered-twice', 200);
  await stack.upload(files);

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
