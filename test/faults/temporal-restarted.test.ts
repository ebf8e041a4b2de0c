import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultRandom } from './support/fault-random';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { RestartableTemporal } from './support/restartable-temporal';
import { ScenarioStack, sleep } from './support/scenario-stack';

const IMAGES = 250;

let temporal: RestartableTemporal;
let stack: ScenarioStack;

beforeAll(async () => {
  // A server of this scenario's own: killing the suite's would disturb nothing here, but it is not ours to kill.
  temporal = await RestartableTemporal.start(
    join(mkdtempSync(join(tmpdir(), 'clb-faults-temporal-')), 'temporal.db'),
  );
  stack = await ScenarioStack.start('temporal-restarted', { temporalAddress: temporal.address });
});

afterAll(async () => {
  await stack?.close();
  await temporal?.stop();
});

it('finishes a batch when the Temporal server is SIGKILLed mid-batch and restarted on its database', async () => {
  const random = faultRandom('temporal-restarted');
  const files = await stack.uploadBatchFiles('restarted', IMAGES);

  const handle = await stack.startBatch();
  await stack.waitForShareDone(handle, random.between(0.2, 0.6), IMAGES);
  await temporal.kill();
  // Workers and clients see a dead server for a while: they retry, they must not give up.
  await sleep(random.between(1_000, 4_000));
  await temporal.restart();
  const summary = await stack.finish(handle);

  // The same worker process carried on after the outage: nothing had to be restarted by hand.
  expect(stack.worker.starts).toBe(1);
  expect(stack.worker.running).toBe(true);
  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
  // Messages taken by a receive whose result was lost are left to the next batch, which takes them.
  const next = await stack.finishLeftBehind();
  await expectPipelineInvariants(stack, { files, runs: [summary, ...next].map(completedRun) });
});
