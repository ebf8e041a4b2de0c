import { readdirSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client } from '@temporalio/client';
import { batchSettingsFrom } from '../../../src/batch-settings';
import { batchWorkflow, progressQuery } from '../../../src/workflows';
import { emptyCounts } from '../../../src/workflows/batch-state';
import { addCounts } from '../../../src/workflows/receiver-counts';
import type { ReceiverResult } from '../../../src/workflows/receiver-types';
import { receiverIds } from '../../../src/workflows/receivers';
import { HISTORIES_DIR, recordHistories, recordingHistories } from '../../support/histories';
import { testEnv } from '../../support/test-env';
import type { RunRecord } from './run-counts';
import type { BatchHandle, ScenarioStack } from './scenario-stack';
import { sleep } from './scenario-stack';
import { stackPerTest } from './stack-lifecycle';
import { WorkerProcess } from './worker-process';

/**
 * A real local stack per test (moto, the model server, the production worker) whose batches fan out to
 * `receivers` receivers. Write groups keep a receiver's own history short: it hands over every 100 events.
 */
export function fannedOutStackPerTest(receivers: number): (name: string) => Promise<ScenarioStack> {
  const startStack = stackPerTest();
  return (name) =>
    startStack(name, {
      settings: { RECEIVERS: String(receivers), CONCURRENCY: '9', CONTINUE_AS_NEW_AFTER_EVENTS: '100' },
    });
}

/**
 * Another production worker process for the scenario's stack, polling the same task queues: any of
 * them runs any workflow task or activity of the batch. Started by the caller, stopped by it.
 */
export function anotherWorker(stack: ScenarioStack, name: string): WorkerProcess {
  const { config } = stack;
  return new WorkerProcess(
    {
      TEMPORAL_ADDRESS: testEnv('temporalAddress'),
      TEMPORAL_NAMESPACE: 'default',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL: testEnv('motoEndpoint'),
      AWS_ENDPOINT_URL_REKOGNITION: stack.modelServer.url,
      SOURCE_BUCKET: config.sourceBucket,
      RESULTS_BUCKET: config.resultsBucket,
      QUEUE_URL: config.queueUrl,
      DEAD_LETTER_QUEUE_URL: config.deadLetterQueueUrl,
      PROJECT_VERSION_ARN: config.projectVersionArn,
      TASK_QUEUE: config.taskQueue,
      DETECT_RATE_LIMIT: String(config.detectRateLimit),
      CONCURRENCY: String(config.concurrency),
    },
    join(dirname(stack.worker.logFile), `worker-${name}.log`),
  );
}

/** Messages the batch's receivers have finished so far (each answers the progress query for itself). */
export async function receiversDone(client: Client, batch: BatchHandle, receivers: number): Promise<number> {
  let done = 0;
  for (const id of receiverIds(batch.workflowId, receivers)) {
    const progress = await client.workflow
      .getHandle(id)
      .query(progressQuery)
      .catch(() => undefined);
    done += progress?.counts.messages ?? 0;
  }
  return done;
}

/** Waits until the receivers have finished `count` messages (queries fail while no worker is up). */
export async function waitForReceiversDone(
  client: Client,
  batch: BatchHandle,
  receivers: number,
  count: number,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await receiversDone(client, batch, receivers)) < count) {
    if (Date.now() > deadline) throw new Error(`the receivers did not finish ${count} messages in time`);
    await sleep(100);
  }
}

export function receiverResults(client: Client, batch: BatchHandle, receivers: number) {
  return Promise.all(
    receiverIds(batch.workflowId, receivers).map((id) => client.workflow.getHandle(id).result()),
  ) as Promise<ReceiverResult[]>;
}

export interface ActivityStart {
  type: string;
  /** The worker that ran it: `<pid>@<host>`, one per worker process. */
  identity: string;
  at: number;
}

/** Every activity attempt every run of the batch's receivers started, from their histories. */
export async function receiverActivityStarts(
  client: Client,
  batch: BatchHandle,
  receivers: number,
): Promise<ActivityStart[]> {
  const starts: ActivityStart[] = [];
  for (const id of receiverIds(batch.workflowId, receivers)) {
    for await (const run of client.workflow.list({ query: `WorkflowId = '${id}'` })) {
      const { events } = await client.workflow.getHandle(id, run.runId).fetchHistory();
      const types = new Map<string, string>();
      for (const event of events ?? []) {
        const scheduled = event.activityTaskScheduledEventAttributes;
        if (scheduled) types.set(String(event.eventId), scheduled.activityType?.name ?? '');
        const started = event.activityTaskStartedEventAttributes;
        if (started) {
          starts.push({
            type: types.get(String(started.scheduledEventId)) ?? '',
            identity: started.identity ?? '',
            at: Number(event.eventTime?.seconds ?? 0) * 1000 + (event.eventTime?.nanos ?? 0) / 1e6,
          });
        }
      }
    }
  }
  return starts;
}

/**
 * Starts the stack's batch directly (not through its schedule) under an id of the test's choosing.
 * Recording, the id is the name of the batch's fixture file: replay runs a fixture under its file name,
 * and the receivers' ids, in the batch's commands, derive from it.
 */
export function startBatchNamed(stack: ScenarioStack, name: string): Promise<BatchHandle> {
  const workflowId = recordingHistories()
    ? `${fixturePrefix()}.${name}.batch`
    : `${stack.config.taskQueue}-${name}`;
  return stack.temporal.client.workflow.start(batchWorkflow, {
    taskQueue: stack.config.taskQueue,
    workflowId,
    args: [{ settings: batchSettingsFrom(stack.config) }],
  });
}

function fixturePrefix(): string {
  return `${new Date().toISOString().slice(0, 10)}-receivers`;
}

/**
 * With RECORD_HISTORIES=1 (the batch started by startBatchNamed): saves the batch's runs and every run of its receivers as replay fixtures
 * named `<date>-receivers.<name>…`, beside (never over) the earlier ones.
 */
export async function recordReceiverHistories(
  client: Client,
  batch: BatchHandle,
  receivers: number,
  name: string,
): Promise<void> {
  if (!recordingHistories()) return;
  const before = new Set(readdirSync(HISTORIES_DIR));
  const ids = [batch.workflowId, ...receiverIds(batch.workflowId, receivers)];
  for (const [index, id] of ids.entries()) {
    await recordHistories(client, id, index === 0 ? `${name}.batch` : `${name}.receiver-${index}`);
  }
  for (const file of readdirSync(HISTORIES_DIR).filter((entry) => !before.has(entry))) {
    const dated = /^(\d{4}-\d{2}-\d{2})\.(.*)$/.exec(file);
    if (dated)
      renameSync(join(HISTORIES_DIR, file), join(HISTORIES_DIR, `${dated[1]}-receivers.${dated[2]}`));
  }
}

/** A batch cut short: what its receivers had counted when they ended (each still answers queries). */
export async function receiversEndedEarly(
  client: Client,
  batch: BatchHandle,
  receivers: number,
): Promise<RunRecord> {
  const counts = emptyCounts();
  for (const id of receiverIds(batch.workflowId, receivers)) {
    addCounts(counts, (await client.workflow.getHandle(id).query(progressQuery)).counts);
  }
  return { ended: 'early', counts };
}
