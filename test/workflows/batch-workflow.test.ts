import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { BatchSettings, BatchSummary } from '../../src/workflows/batch-types';
import { batchWorkflow, drainSignal, progressQuery } from '../../src/workflows';
import { outputKeys } from '../../src/workflows/output-keys';
import { fetchBatchHistories } from '../../src/cost/batch-histories';
import { countTemporalActions } from '../../src/cost/temporal-actions';
import { FakeAws } from '../support/fake-aws';
import { recordHistories, recordingHistories, slug } from '../support/histories';
import { batchSearchAttributes, countUpserts, expectedSearchAttributes } from '../support/search-attributes';
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
    stopModelStartedElsewhere: false,
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
    keys.flatMap((key) => [outputKeys(key).processedImage, outputKeys(key).labels]).sort(),
  );
}

it('ends without starting or stopping the model when the queue is empty', async () => {
  const fake = new FakeAws();
  const summary = await runBatch(fake);
  expect(summary).toMatchObject({ queueWasEmpty: true, startedModel: false, stoppedModel: false });
  expect(fake.calls.filter((call) => /^(start|stop)Model$/.test(call))).toEqual([]);
});

it('stops a model an earlier batch of this project left RUNNING (its tag says so), even when the queue is empty', async () => {
  const fake = new FakeAws();
  fake.modelStatus = 'RUNNING';
  fake.modelStartedBy = 'custom-labels-batch-shapes-v1-terminated';
  const summary = await runBatch(fake);
  expect(summary).toMatchObject({ queueWasEmpty: true, startedModel: false, stoppedModel: true });
  expect(fake.modelStatus).toBe('STOPPED');
  expect(fake.modelStartedBy).toBeUndefined();
});

it('waits out the stop of a model an earlier batch of this project left STOPPING, and removes its tag', async () => {
  const fake = new FakeAws();
  fake.modelStatus = 'STOPPING';
  fake.describesUntilStopped = 2;
  fake.modelStartedBy = 'custom-labels-batch-shapes-v1-terminated';
  const summary = await runBatch(fake);
  expect(summary).toMatchObject({ queueWasEmpty: true, startedModel: false, stoppedModel: true });
  expect(fake.modelStatus).toBe('STOPPED');
  // Left on a stopped model, the tag would make a later batch stop whoever starts the model next.
  expect(fake.modelStartedBy).toBeUndefined();
});

it('leaves a model someone else started RUNNING when the queue is empty, unless told to stop those too', async () => {
  for (const stopElsewhere of [false, true]) {
    const fake = new FakeAws();
    fake.modelStatus = 'RUNNING';
    const summary = await runBatch(fake, { stopModelStartedElsewhere: stopElsewhere });
    expect(summary).toMatchObject({ queueWasEmpty: true, startedModel: false, stoppedModel: stopElsewhere });
    expect(fake.modelStatus).toBe(stopElsewhere ? 'STOPPED' : 'RUNNING');
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

it('uses a model someone else started and leaves it RUNNING, or stops it when told to stop those too', async () => {
  for (const stopElsewhere of [false, true]) {
    const fake = new FakeAws();
    fake.modelStatus = 'RUNNING';
    fake.enqueueImage(SOURCE, 'a.png');
    const summary = await runBatch(fake, { stopModelStartedElsewhere: stopElsewhere });
    expect(fake.count('startModel')).toBe(0);
    expect(fake.count('markModelStartedBy')).toBe(0);
    expect(summary.counts.processed).toBe(1);
    expect(summary.stoppedModel).toBe(stopElsewhere);
    expect(fake.modelStatus).toBe(stopElsewhere ? 'STOPPED' : 'RUNNING');
  }
});

it('uses a model an earlier batch of this project left RUNNING, and stops it', async () => {
  const fake = new FakeAws();
  fake.modelStatus = 'RUNNING';
  fake.modelStartedBy = 'custom-labels-batch-shapes-v1-terminated';
  fake.enqueueImage(SOURCE, 'a.png');
  const summary = await runBatch(fake);
  expect(summary).toMatchObject({ startedModel: false, stoppedModel: true });
  expect(summary.counts.processed).toBe(1);
  expect(fake.modelStatus).toBe('STOPPED');
  expect(fake.modelStartedBy).toBeUndefined();
});

it('tags the model with the batch before starting it, and removes the tag once it is STOPPED', async () => {
  const fake = new FakeAws();
  fake.enqueueImage(SOURCE, 'a.png');
  let tagWhileRunning: string | undefined;
  await runBatch(fake, {}, async (workflowId) => {
    while (fake.count('detectCustomLabels') === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    tagWhileRunning = fake.modelStartedBy;
    expect(tagWhileRunning).toBe(workflowId);
  });
  expect(tagWhileRunning).toEqual(expect.any(String));
  const modelCalls = fake.calls.filter((call) => /Model/.test(call) && call !== 'describeModel');
  expect(modelCalls).toEqual(['markModelStartedBy', 'startModel', 'stopModel', 'clearModelStartedBy']);
  expect(fake.modelStartedBy).toBeUndefined();
});

it.each(['TRAINING_COMPLETED', 'COPYING_COMPLETED'])(
  'starts a model that was trained or copied and never started (%s)',
  async (status) => {
    const fake = new FakeAws();
    fake.modelStatus = status;
    fake.enqueueImage(SOURCE, 'a.png');
    const summary = await runBatch(fake);
    expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
    expect(summary.counts.processed).toBe(1);
    expect(fake.modelStatus).toBe('STOPPED');
  },
);

it.each(['TRAINING_IN_PROGRESS', 'COPYING_IN_PROGRESS'])(
  'waits out a model in %s, then starts it',
  async (status) => {
    const fake = new FakeAws();
    fake.modelStatus = status;
    fake.describesUntilSettled = 3;
    fake.enqueueImage(SOURCE, 'a.png');
    const summary = await runBatch(fake);
    expect(summary).toMatchObject({ startedModel: true, stoppedModel: true });
    expect(fake.calls.slice(0, fake.calls.indexOf('markModelStartedBy'))).toEqual([
      'countQueuedMessages',
      'describeModel',
      'describeModel',
      'describeModel',
    ]);
    expect(fake.modelStatus).toBe('STOPPED');
  },
);

it('gives up on a training in progress at MODEL_TRANSITION_TIMEOUT, leaving every message queued', async () => {
  const fake = new FakeAws();
  fake.modelStatus = 'TRAINING_IN_PROGRESS';
  fake.describesUntilSettled = Infinity;
  fake.enqueueImage(SOURCE, 'a.png');
  const failure = await runBatch(fake, { modelTransitionTimeoutMs: 1_000, statusPollIntervalMs: 200 }).catch(
    (e: unknown) => e,
  );
  expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(
    /did not reach RUNNING within 1s \(still TRAINING_IN_PROGRESS\)/,
  );
  expect(fake.calls.filter((call) => /^(start|stop|markModel)/.test(call))).toEqual([]);
  expect(fake.queue).toHaveLength(1);
});

it.each([
  ['TRAINING_FAILED', /its training failed\): train it again, or set PROJECT_VERSION_ARN/],
  ['COPYING_FAILED', /copying it failed\): copy it again, or set PROJECT_VERSION_ARN/],
  ['DELETING', /it is being deleted\): set PROJECT_VERSION_ARN to a version that can run/],
  ['DEPRECATED', /deprecated it\): train a new version, or set PROJECT_VERSION_ARN/],
  ['EXPIRED', /it has expired\): train a new version, or set PROJECT_VERSION_ARN/],
])(
  'fails on a model %s, saying why it cannot run and what to do, and leaves every message queued',
  async (status, advice) => {
    const fake = new FakeAws();
    fake.modelStatus = status;
    fake.enqueueImage(SOURCE, 'a.png');
    const failure = await runBatch(fake).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const cause = (failure as WorkflowFailedError).cause as { type?: string; message: string };
    expect(cause.type).toBe('ModelNotStartable');
    expect(cause.message).toContain(`is ${status} and cannot be started`);
    expect(cause.message).toMatch(advice);
    expect(cause.message).toMatch(/Every message stays queued\.$/);
    expect(fake.calls.filter((call) => /^(start|stop|markModel)/.test(call))).toEqual([]);
    expect(fake.queue).toHaveLength(1);
  },
);

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
  let cancelled = '';
  const failure = await runBatch(fake, {}, async (workflowId) => {
    cancelled = workflowId;
    while (fake.count('detectCustomLabels') === 0) await new Promise((resolve) => setTimeout(resolve, 50));
    const handle = temporal.client.workflow.getHandle(workflowId);
    await handle.cancel();
    // The fake ignores cancellation: let it finish only once the workflow has closed.
    await handle.result().catch(() => undefined);
    release();
  }).catch((error: unknown) => error);
  expect(failure).toBeInstanceOf(WorkflowFailedError);
  expect((failure as WorkflowFailedError).cause?.name).toBe('CancelledFailure');
  const described = await temporal.client.workflow.getHandle(cancelled).describe();
  expect(batchSearchAttributes(described)).toMatchObject({ CustomLabelsOutcome: 'cancelled' });
  expect(fake.modelStatus).toBe('STOPPED');
  expect(fake.count('deleteMessage')).toBe(0);
  expect(fake.queue).toHaveLength(3);
});

/** Temporal Cloud actions of every run of the batch `workflowId` and of its child workflows. */
async function batchActions(workflowId: string) {
  const { runs, children } = await fetchBatchHistories(temporal.client, workflowId);
  return { actions: countTemporalActions([...runs, ...children]), children: children.length };
}

it('costs at most 1.5 Temporal Cloud actions per image: a detection each, and one write group per window of messages', async () => {
  const fake = new FakeAws();
  const keys = Array.from({ length: 300 }, (_, i) => `img-${i}.png`);
  for (const key of keys) fake.enqueueImage(SOURCE, key);
  let workflowId = '';
  const summary = await runBatch(fake, { concurrency: 15, localAwsCalls: true }, (id) => {
    workflowId = id;
    return Promise.resolve();
  });
  expect(summary.counts).toMatchObject({ processed: 300, messages: 300 });
  expectAllProcessed(fake, keys);
  const { actions, children } = await batchActions(workflowId);
  // Activities proper: the detections, receives of up to ten messages, and the model's start, looks and
  // stop. Every copy, document, delete and message delete ran as a local activity of a write group, one
  // child workflow (two actions) and one task of local activities (one action) per window's worth.
  expect(actions.byKind.activities).toBeLessThanOrEqual(keys.length * 1.15);
  expect(children).toBeLessThanOrEqual(keys.length / 10);
  expect(actions.byKind.localActivities).toBeLessThanOrEqual(children * 1.5);
  expect(actions.total / keys.length).toBeLessThanOrEqual(1.5);
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
    'failed/errors/notes.txt.json',
    'failed/images/notes.txt',
    'processed/images/good.png',
    'processed/labels/good.png.json',
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
  let drained = '';
  const summary = await runBatch(fake, { concurrency: 2 }, async (workflowId) => {
    drained = workflowId;
    while (fake.count('detectCustomLabels') < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    const handle = temporal.client.workflow.getHandle(workflowId);
    await handle.signal(drainSignal);
    const progress = await handle.query(progressQuery);
    expect(progress).toMatchObject({ phase: 'processing', inFlight: 2 });
    release();
  });
  expect(summary.counts.processed).toBe(2);
  const described = await temporal.client.workflow.getHandle(drained).describe();
  expect(batchSearchAttributes(described)).toMatchObject({
    CustomLabelsImagesQueued: 10,
    CustomLabelsImagesProcessed: 2,
    CustomLabelsOutcome: 'drained',
  });
  expect(fake.queue).toHaveLength(8);
  expect(fake.modelStatus).toBe('STOPPED');
});

it('keeps apart an image whose name ends in an output suffix and the image it seems to belong to', async () => {
  const fake = new FakeAws();
  const keys = ['a.png', 'a.png.labels.json', 'b.png.error.json'];
  for (const key of keys) fake.enqueueImage(SOURCE, key);
  const summary = await runBatch(fake);
  expect(summary.counts).toMatchObject({ processed: 3, messages: 3 });
  const results = fake.keysIn(RESULTS);
  expect(results).toHaveLength(6);
  for (const key of keys)
    expect(results.filter((name) => fake.objects.get(`${RESULTS}/${name}`) === `image ${key}`)).toHaveLength(
      1,
    );
});

it('sends a key too long for the results layout to the dead-letter queue and goes on', async () => {
  const fake = new FakeAws();
  const long = `${'k'.repeat(1010)}.png`;
  for (const key of ['a.png', long, 'b.png']) fake.enqueueImage(SOURCE, key);
  const summary = await runBatch(fake);
  expect(summary.counts).toMatchObject({ processed: 2, deadLettered: 1, messages: 3 });
  expect(fake.deadLetters).toEqual([
    { body: expect.stringContaining('kkkk'), reason: expect.stringMatching(/too long/) },
  ]);
  expect(fake.keysIn(SOURCE)).toEqual([long]);
  expect(fake.queue).toHaveLength(0);
});

it('sends a message that fails on its own to the dead-letter queue with the reason, and goes on', async () => {
  const fake = new FakeAws();
  for (const key of ['a.png', 'huge.tif', 'b.png']) fake.enqueueImage(SOURCE, key);
  fake.rejectedKeys.add('huge.tif');
  fake.copyFailures.set(
    'huge.tif',
    ApplicationFailure.nonRetryable(
      'CopyObject failed: InvalidRequest: The specified copy source is larger than the maximum allowable size for a copy source: 5368709120',
      'InvalidRequest',
    ),
  );
  const summary = await runBatch(fake);
  expect(summary.counts).toMatchObject({ processed: 2, deadLettered: 1, messages: 3 });
  expect(fake.deadLetters).toEqual([
    {
      body: expect.stringContaining('huge.tif'),
      reason: expect.stringMatching(/InvalidRequest.*larger than/),
    },
  ]);
  expect(fake.keysIn(SOURCE)).toEqual(['huge.tif']);
  expect(fake.queue).toHaveLength(0);
});

it.each(['NoSuchBucket', 'AccessDenied'])(
  'stops the batch on a failure of the system (%s), leaving the failed message queued',
  async (type) => {
    const fake = new FakeAws();
    fake.enqueueImage(SOURCE, 'a.png');
    fake.copyFailures.set('a.png', ApplicationFailure.nonRetryable(`CopyObject failed: ${type}`, type));
    const failure = await runBatch(fake).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(fake.deadLetters).toEqual([]);
    expect(fake.queue).toHaveLength(1);
    expect(fake.modelStatus).toBe('STOPPED');
  },
);

it('ends and stops the model when the only messages left are held elsewhere, leaving them for the next run', async () => {
  const fake = new FakeAws();
  fake.enqueueImage(SOURCE, 'a.png');
  fake.enqueueImage(SOURCE, 'held.png');
  fake.queue[1].invisibleUntil = Date.now() + 20_000;
  const started = Date.now();
  const summary = await runBatch(fake);
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(summary.counts).toMatchObject({ processed: 1, messages: 1 });
  expect(fake.queue).toHaveLength(1);
  expect(fake.modelStatus).toBe('STOPPED');
});

it('keeps a message hidden while its work outlives the visibility timeout, and never counts a redelivery', async () => {
  const fake = new FakeAws();
  let release!: () => void;
  fake.detectGates.set('slow.png', new Promise((resolve) => (release = resolve)));
  const keys = ['slow.png', ...Array.from({ length: 8 }, (_, i) => `quick-${i}.png`)];
  for (const key of keys) fake.enqueueImage(SOURCE, key);
  const summary = await runBatch(fake, { messageVisibilityTimeoutSeconds: 1, concurrency: 2 }, async () => {
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    release();
  });
  expect(summary.counts).toMatchObject({ processed: keys.length, skipped: 0, messages: keys.length });
  expect(fake.count('detectCustomLabels')).toBe(keys.length);
  expect(fake.count('extendVisibility')).toBeGreaterThan(0);
  expectAllProcessed(fake, keys);
});

it('stops the batch after MAX_CONSECUTIVE_MESSAGE_FAILURES failed messages in a row, leaving the rest queued', async () => {
  const fake = new FakeAws();
  const keys = Array.from({ length: 6 }, (_, i) => `bad-${i}.png`);
  for (const key of keys) {
    fake.enqueueImage(SOURCE, key);
    fake.copyFailures.set(
      key,
      ApplicationFailure.nonRetryable('CopyObject failed: InvalidObjectState', 'InvalidObjectState'),
    );
  }
  const failure = await runBatch(fake, { concurrency: 1, maxConsecutiveMessageFailures: 3 }).catch(
    (error: unknown) => error,
  );
  expect(String((failure as WorkflowFailedError).cause?.message)).toMatch(
    /3 messages in a row could not be processed.*Unprocessed messages stay queued/,
  );
  // A message taken before the third failure ended finishes too (with write groups, a window's worth
  // may wait for their writes beside the one being detected); the rest stays queued, none lost.
  expect(fake.deadLetters.length).toBeGreaterThanOrEqual(3);
  expect(fake.deadLetters.length).toBeLessThanOrEqual(3 + 1);
  expect(fake.deadLetters.length + fake.queue.length).toBe(keys.length);
  expect(fake.modelStatus).toBe('STOPPED');
});

describe('search attributes', () => {
  /** Runs a batch and returns its result (or failure), its search attributes and how many upserts it made. */
  async function runFindable(fake: FakeAws, overrides: Partial<BatchSettings> = {}) {
    let workflowId = '';
    const result = await runBatch(fake, overrides, (id) => {
      workflowId = id;
      return Promise.resolve();
    }).catch((error: unknown) => error);
    const description = await temporal.client.workflow.getHandle(workflowId).describe();
    return {
      result,
      attributes: batchSearchAttributes(description),
      upserts: await countUpserts(temporal.client, workflowId),
    };
  }
  const arn = settings('any').projectVersionArn;

  it('records the queue and the counts of a batch that continued as new, in two upserts', async () => {
    const fake = new FakeAws();
    fake.enqueue('not json at all');
    fake.enqueueImage(SOURCE, 'bad.png');
    fake.rejectedKeys.add('bad.png');
    for (let i = 0; i < 40; i += 1) fake.enqueueImage(SOURCE, `img-${i}.png`);
    const { result, attributes, upserts } = await runFindable(fake, { concurrency: 5 });
    const summary = result as BatchSummary;
    expect(summary.continuedAsNew).toBeGreaterThanOrEqual(1);
    expect(summary.counts).toMatchObject({ processed: 40, failed: 1, deadLettered: 1 });
    expect(attributes).toEqual(expectedSearchAttributes(summary, arn, 42, 'completed'));
    expect(upserts).toBe(2);
  });

  it('records an empty queue in one upsert', async () => {
    const { result, attributes, upserts } = await runFindable(new FakeAws());
    expect(attributes).toEqual(expectedSearchAttributes(result as BatchSummary, arn, 0, 'queue-empty'));
    expect(upserts).toBe(1);
  });

  it('records a failed batch as failed, with what it did', async () => {
    const fake = new FakeAws();
    fake.startEndsInFailure = true;
    fake.enqueueImage(SOURCE, 'a.png');
    const { result, attributes } = await runFindable(fake);
    expect(result).toBeInstanceOf(WorkflowFailedError);
    expect(attributes).toMatchObject({
      CustomLabelsImagesQueued: 1,
      CustomLabelsImagesProcessed: 0,
      CustomLabelsOutcome: 'failed',
    });
  });
});
