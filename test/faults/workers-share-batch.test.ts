import { faultRandom } from './support/fault-random';
import { completedRun, expectPipelineInvariants } from './support/invariants';
import { anotherWorker, receiverActivityStarts, waitForReceiversDone } from './support/receivers';
import { busiestWindow } from '../../bench/worker-shares';
import { stackPerTest } from './support/stack-lifecycle';
import type { WorkerProcess } from './support/worker-process';

const IMAGES = 80;
const RECEIVERS = 3;
/** Below what one worker reaches here, so that the limit binds: per worker, two would make twice as many calls. */
const DETECT_RATE_LIMIT = 4;

const startStack = stackPerTest();
const extraWorkers: WorkerProcess[] = [];
afterEach(async () => {
  for (const worker of extraWorkers.splice(0)) await worker.stop();
});

it.each([2, 3])(
  '%i worker processes share one fanned-out batch; one SIGKILLed mid-batch loses and repeats nothing, and the detect rate limit holds across them',
  async (workers) => {
    const stack = await startStack(`workers-share-${workers}`, {
      settings: {
        RECEIVERS: String(RECEIVERS),
        CONCURRENCY: '9',
        DETECT_RATE_LIMIT: String(DETECT_RATE_LIMIT),
      },
    });
    const { client } = stack.temporal;
    const random = faultRandom(`workers-share-${workers}`);
    for (let index = 1; index < workers; index += 1) {
      const worker = anotherWorker(stack, String(index + 1));
      extraWorkers.push(worker);
      await worker.start();
    }
    const files = await stack.uploadBatchFiles('shared', IMAGES);

    const batch = await stack.startBatch();
    await waitForReceiversDone(client, batch, RECEIVERS, Math.round(random.between(0.2, 0.5) * IMAGES));
    const victim = extraWorkers[0];
    await victim.kill();
    const summary = await stack.finish(batch);

    expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
    expect(stack.worker.unexpectedExits).toEqual([]);
    for (const worker of extraWorkers) expect(worker.unexpectedExits).toEqual([]);
    // Every worker process ran part of the batch's activities (identity: <pid>@<host>, one per process).
    const starts = await receiverActivityStarts(client, batch, RECEIVERS);
    const byWorker = new Map<string, number>();
    for (const { identity } of starts) byWorker.set(identity, (byWorker.get(identity) ?? 0) + 1);
    expect(byWorker.size).toBe(workers);
    for (const count of byWorker.values()) expect(count).toBeGreaterThanOrEqual(5);
    // One limit for all of them, enforced by the server: not one per worker.
    const detections = starts.filter((start) => start.type === 'detectCustomLabels').map((start) => start.at);
    const spanSeconds = (Math.max(...detections) - Math.min(...detections)) / 1000;
    expect((detections.length - 1) / spanSeconds).toBeLessThanOrEqual(DETECT_RATE_LIMIT * 1.1);
    // The server's token bucket may hand out up to a second's tokens at once, around the busiest 5 s on
    // both sides (measured: 25 of 24 once in CI); a limit per worker would allow twice the rate.
    expect(busiestWindow(detections, 5_000)).toBeLessThanOrEqual(
      DETECT_RATE_LIMIT * 5 + 2 * DETECT_RATE_LIMIT,
    );

    // Messages a receive had taken on the killed worker come back after their visibility timeout.
    const next = await stack.finishLeftBehind();
    await expectPipelineInvariants(stack, { files, runs: [summary, ...next].map(completedRun) });
  },
);
