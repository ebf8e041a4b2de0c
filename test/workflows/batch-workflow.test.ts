import { WorkflowFailedError } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import type { BatchSettings } from '../../src/workflows/batch-types';
import { batchWorkflow, drainSignal, progressQuery } from '../../src/workflows';
import { FakeAws } from '../support/fake-aws';
import { recordHistories, recordingHistories, slug } from '../support/histories';
import { connectToTestTemporal, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { TEST_CONTINUE_AS_NEW_EVENTS } from '../support/test-env';

const SOURCE = 'source-bucket';
const RESULTS = 'results-bucket';
let temporal: TemporalTestContext;

beforeAll(async () => {
  temporal = await connectToTestTemporal();
}, 120_000);

afterAll(() => temporal.close());

function settings(taskQueue: string, overrides: Partial<BatchSettings> = {}): BatchSettings {
  return {
    projectVersionArn: 'arn:aws:rekognition:us-east-1:123456789012:project/shapes/version/v1/1700000000000',
    queueUrl: 'http://queue/images',
    deadLetterQueueUrl: 'http://queue/images-dlq',
    sourceBucket: SOURCE,
    resultsBucket: RESULTS,
    minInferenceUnits: 1,
    concurrency: 4,
    statusPollIntervalMs: 100,
    modelTransitionTimeoutMs: 60_000,
    messageVisibilityTimeoutSeconds: 300,
    continueAsNewAfterEvents: TEST_CONTINUE_AS_NEW_EVENTS,
    stopModelFoundRunning: true,
    detectTaskQueue: taskQueue,
    inferenceUnitHourlyCost: 4,
    ...overrides,
  };
}

/** Runs one batch on a worker whose activities are the fake's; returns the worker-run result. */
async function runBatch(
  fake: FakeAws,
  overrides: Partial<BatchSettings> = {},
  during?: (workflowId: string) => Promise<void>,
) {
  const taskQueue = uniqueTaskQueue('batch');
  const worker = await Worker.create({
    connection: temporal.nativeConnection,
    taskQueue,
    workflowBundle: temporal.workflowBundle,
    activities: fake.activities(),
  });
  const workflowId = `${taskQueue}-wf`;
  return worker.runUntil(async () => {
    const handle = await temporal.client.workflow.start(batchWorkflow, {
      taskQueue,
      workflowId,
      args: [{ settings: settings(taskQueue, overrides) }],
    });
    await during?.(workflowId);
    try {
      return await handle.result();
    } finally {
      if (recordingHistories()) await recordHistories(temporal.client, workflowId, scenarioName());
    }
  });
}

const recorded = new Map<string, number>();
/** The current test's name, numbered when one test runs several batches. */
function scenarioName(): string {
  const name = slug(expect.getState().currentTestName ?? 'batch');
  const count = (recorded.get(name) ?? 0) + 1;
  recorded.set(name, count);
  return count === 1 ? name : `${name}-${count}`;
}

function expectAllProcessed(fake: FakeAws, keys: string[]): void {
  expect(fake.queue).toHaveLength(0);
  expect(fake.keysIn(SOURCE)).toEqual([]);
  expect(fake.keysIn(RESULTS)).toEqual(
    keys.flatMap((key) => [`processed/${key}`, `processed/${key}.labels.json`]).sort(),
  );
}

it('ends without starting or stopping the model when the queue is empty', async () => {
  const fake = new FakeAws();
  const summary = await runBatch(fake);
  expect(summary).toMatchObject({ queueWasEmpty: true, startedModel: false, stoppedModel: false });
  expect(fake.calls.filter((call) => /^(start|stop)Model$/.test(call))).toEqual([]);
});

it('stops a model left RUNNING (e.g. by a terminated run) even when the queue is empty, unless told to keep it', async () => {
  for (const keep of [false, true]) {
    const fake = new FakeAws();
    fake.modelStatus = 'RUNNING';
    const summary = await runBatch(fake, { stopModelFoundRunning: !keep });
    expect(summary).toMatchObject({ queueWasEmpty: true, startedModel: false, stoppedModel: !keep });
    expect(fake.modelStatus).toBe(keep ? 'RUNNING' : 'STOPPED');
  }
});

it('starts the model, processes every message and stops the model once', async () => {
  const fake = new FakeAws();
  fake.describesUntilRunning = 3;
  const keys = Array.from({ length: 12 }, (_, i) => `in/photo ${i}.jpg`);
  for (const key of keys) fake.enqueueImage(SOURCE, key);
  const summary = await runBatch(fake);
  expect(summary.counts).toMatchObject({ processed: 12, failed: 0, messages: 12 });
  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true, queueWasEmpty: false });
  expect(summary.modelRunningSeconds).toBeGreaterThan(0);
  expect(fake.count('startModel')).toBe(1);
  expect(fake.count('stopModel')).toBe(1);
  expect(fake.modelStatus).toBe('STOPPED');
  expectAllProcessed(fake, keys);
});

it('uses a model already running and stops it at the end by default, or keeps it when configured', async () => {
  for (const keep of [false, true]) {
    const fake = new FakeAws();
    fake.modelStatus = 'RUNNING';
    fake.enqueueImage(SOURCE, 'a.png');
    const summary = await runBatch(fake, { stopModelFoundRunning: !keep });
    expect(fake.count('startModel')).toBe(0);
    expect(summary.counts.processed).toBe(1);
    expect(fake.modelStatus).toBe(keep ? 'RUNNING' : 'STOPPED');
  }
});

it('waits out a STOPPING model before starting it', async () => {
  const fake = new FakeAws();
  fake.modelStatus = 'STOPPING';
  fake.enqueueImage(SOURCE, 'a.png');
  const summary = await runBatch(fake);
  expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
  expect(fake.calls.indexOf('startModel')).toBeGreaterThan(fake.calls.indexOf('describeModel'));
  expect(fake.modelStatus).toBe('STOPPED');
});

it('fails with the reason when the model ends FAILED, and leaves every message queued', async () => {
  const fake = new FakeAws();
  fake.startEndsInFailure = true;
  fake.enqueueImage(SOURCE, 'a.png');
  fake.enqueueImage(SOURCE, 'b.png');
  const failure = await runBatch(fake).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(
    /failed to start.*Every message stays queued/,
  );
  expect(fake.queue).toHaveLength(2);
  expect(fake.count('detectCustomLabels')).toBe(0);
  expect(fake.modelStatus).not.toBe('RUNNING');
});

it('fails when the model misses the start deadline, and stops it', async () => {
  const fake = new FakeAws();
  fake.describesUntilRunning = Infinity;
  fake.enqueueImage(SOURCE, 'a.png');
  const failure = await runBatch(fake, { modelTransitionTimeoutMs: 1_000, statusPollIntervalMs: 200 }).catch(
    (e: unknown) => e,
  );
  expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(/did not reach RUNNING within 1s/);
  expect(fake.count('stopModel')).toBe(1);
  expect(fake.modelStatus).toBe('STOPPED');
  expect(fake.queue).toHaveLength(1);
});

it('stops the model when cancelled mid-batch, leaving unfinished messages queued', async () => {
  const fake = new FakeAws();
  let release!: () => void;
  fake.detectGate = new Promise((resolve) => (release = resolve));
  for (const key of ['a.png', 'b.png', 'c.png']) fake.enqueueImage(SOURCE, key);
  const failure = await runBatch(fake, {}, async (workflowId) => {
    while (fake.count('detectCustomLabels') === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const handle = temporal.client.workflow.getHandle(workflowId);
    await handle.cancel();
    // The fake ignores cancellation: let it finish only once the workflow has closed.
    await handle.result().catch(() => undefined);
    release();
  }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause?.name).toBe('CancelledFailure');
  expect(fake.modelStatus).toBe('STOPPED');
  expect(fake.count('deleteMessage')).toBe(0);
  expect(fake.queue).toHaveLength(3);
});

it('continues as new on a long batch, stopping the model exactly once at the end, nothing lost', async () => {
  const fake = new FakeAws();
  const keys = Array.from({ length: 60 }, (_, i) => `deep/dir/img-${i}.png`);
  for (const key of keys) fake.enqueueImage(SOURCE, key);
  const summary = await runBatch(fake, { concurrency: 5 });
  expect(summary.continuedAsNew).toBeGreaterThanOrEqual(1);
  expect(summary.counts.processed).toBe(60);
  expect(summary.counts.messages).toBe(60);
  expect(fake.count('startModel')).toBe(1);
  expect(fake.count('stopModel')).toBe(1);
  expect(fake.count('detectCustomLabels')).toBe(60);
  expectAllProcessed(fake, keys);
});

it('sends poison messages to the dead-letter queue with the reason, acknowledges test events, fails bad images', async () => {
  const fake = new FakeAws();
  fake.enqueue('not json at all');
  fake.enqueue(JSON.stringify({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: SOURCE }));
  fake.enqueueImage('someone-elses-bucket', 'x.png');
  fake.enqueueImage(SOURCE, 'good.png');
  fake.enqueueImage(SOURCE, 'notes.txt');
  fake.rejectedKeys.add('notes.txt');
  fake.enqueueImage(SOURCE, 'gone.png');
  fake.objects.delete(`${SOURCE}/gone.png`);
  const summary = await runBatch(fake);
  expect(summary.counts).toMatchObject({
    processed: 1,
    failed: 1,
    failedByReason: { InvalidImageFormatException: 1 },
    skipped: 1,
    deadLettered: 2,
    testEvents: 1,
    messages: 6,
  });
  expect(fake.deadLetters.map((d) => d.reason)).toEqual([
    expect.stringMatching(/not JSON/),
    expect.stringMatching(/"someone-elses-bucket" is not the configured source bucket/),
  ]);
  expect(fake.keysIn(RESULTS)).toEqual([
    'failed/notes.txt',
    'failed/notes.txt.error.json',
    'processed/good.png',
    'processed/good.png.labels.json',
  ]);
  expect(fake.queue).toHaveLength(0);
  expect(fake.keysIn('someone-elses-bucket')).toEqual(['x.png']);
});

it('stops on an image Rekognition cannot read but S3 still has, naming it, and leaves its message queued', async () => {
  const fake = new FakeAws();
  fake.enqueueImage(SOURCE, 'denied.png');
  fake.unreadableKeys.add('denied.png');
  const failure = await runBatch(fake).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(
    /Rekognition could not read s3:\/\/source-bucket\/denied\.png \(eTag etag\), which exists .*grant the caller of DetectCustomLabels s3:GetObject/,
  );
  expect(fake.queue).toHaveLength(1);
  expect(fake.keysIn(SOURCE)).toEqual(['denied.png']);
  expect(fake.keysIn(RESULTS)).toEqual([]);
  expect(fake.modelStatus).toBe('STOPPED');
});

it('processes two events for the same object once, and skips the second', async () => {
  const fake = new FakeAws();
  fake.enqueueImage(SOURCE, 'twice.png');
  fake.enqueueImage(SOURCE, 'twice.png');
  const summary = await runBatch(fake);
  expect(summary.counts).toMatchObject({ processed: 1, skipped: 1, messages: 2 });
  expectAllProcessed(fake, ['twice.png']);
});

it('drains on signal: finishes what is in flight, stops the model, leaves the rest queued', async () => {
  const fake = new FakeAws();
  let release!: () => void;
  fake.detectGate = new Promise((resolve) => (release = resolve));
  for (let i = 0; i < 10; i += 1) fake.enqueueImage(SOURCE, `img-${i}.png`);
  const summary = await runBatch(fake, { concurrency: 2 }, async (workflowId) => {
    while (fake.count('detectCustomLabels') < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    const handle = temporal.client.workflow.getHandle(workflowId);
    await handle.signal(drainSignal);
    const progress = await handle.query(progressQuery);
    expect(progress).toMatchObject({ phase: 'processing', inFlight: 2 });
    release();
  });
  expect(summary.counts.processed).toBe(2);
  expect(fake.queue).toHaveLength(8);
  expect(fake.modelStatus).toBe('STOPPED');
});
