import { faultRandom } from './support/fault-random';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { sleep } from './support/scenario-stack';
import { stackPerFile } from './support/stack-lifecycle';

const IMAGES = 300;
const KILLS = 3;

const scenarioStack = stackPerFile('worker-killed');

it('finishes a batch whose worker is SIGKILLed three times at random moments and restarted', async () => {
  const stack = scenarioStack();
  const random = faultRandom('worker-killed');
  const files = await stack.uploadBatchFiles('killed', IMAGES);

  const handle = await stack.startBatch();
  // Moments anywhere from the model's start to near the end, in batch progress, so each kill lands mid-batch.
  const moments = Array.from({ length: KILLS }, () => random.between(0, 0.9)).sort((a, b) => a - b);
  for (const moment of moments) {
    await stack.waitForShareDone(handle, moment, IMAGES);
    await sleep(random.between(0, 500));
    await stack.worker.kill();
    await sleep(random.between(0, 2_000));
    await stack.worker.start();
  }
  const summary = await stack.finish(handle);

  expect(stack.worker.starts).toBe(KILLS + 1);
  expect(stack.worker.unexpectedExits).toEqual([]);
  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
  // Messages taken by a receive whose result was lost are left to the next batch, which takes them.
  const next = await stack.finishLeftBehind();
  await expectPipelineInvariants(stack, { files, runs: [summary, ...next].map(completedRun) });
});
