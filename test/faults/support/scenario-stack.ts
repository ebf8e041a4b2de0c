import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { createActivities } from '../../../src/activities';
import { createAwsClients } from '../../../src/aws-clients';
import { followBatch, startBatchNow } from '../../../src/batch-runs';
import type { Config } from '../../../src/config/config';
import { startLocalRekognitionServer, type LocalRekognitionServer } from '../../../src/local/rekognition';
import { scheduleHandle, upsertSchedule } from '../../../src/schedule';
import { progressQuery, type batchWorkflow } from '../../../src/workflows';
import type { BatchProgress, BatchSummary } from '../../../src/workflows/batch-types';
import { TEST_CONTINUE_AS_NEW_EVENTS, testEnv } from '../../support/test-env';
import { makeBatchFiles, type BatchFile } from './batch-files';
import { forEachConcurrently } from './bucket-contents';
import { cloneModelVersion } from './model-version';
import { provisionWorkerEnv, workerEnv } from './worker-env';
import { WorkerProcess } from './worker-process';

export type BatchHandle = WorkflowHandle<typeof batchWorkflow>;

/**
 * Real but quick: the model server runs the sample model on every image (one at a time, ~0.1 s each),
 * with capacity to spare, short model transitions and polls.
 */
const FAST_PIPELINE_SETTINGS = {
  STATUS_POLL_INTERVAL: '200ms',
  MODEL_TRANSITION_TIMEOUT: '1m',
  // Longer than any message takes, even across a worker restart; short enough that messages a killed
  // or cancelled batch had received come back quickly.
  MESSAGE_VISIBILITY_TIMEOUT: '30s',
  // A few calls queued at the model server keep it busy; more would only wait there.
  CONCURRENCY: '8',
  // Every label with its confidence: these plain test images score under the assumed thresholds, and
  // a result then shows that the model ran on the image.
  MIN_CONFIDENCE: '0',
  DETECT_RATE_LIMIT: '200',
  // Long batches hand over to new runs several times, so faults also land around continue-as-new.
  CONTINUE_AS_NEW_AFTER_EVENTS: String(TEST_CONTINUE_AS_NEW_EVENTS),
};
const MODEL_SERVER_SETTINGS = {
  startDelayMs: 400,
  stopDelayMs: 200,
  transactionsPerSecondPerInferenceUnit: 500,
};
/** Each takes what earlier batches left behind: one is enough unless a fault hits it too. */
const MAX_FOLLOW_UP_BATCHES = 3;
/** Never fires during a test (1 January, 00:00): every batch here is triggered. */
const DORMANT_CADENCE = { cron: '0 0 1 1 *' };

export interface ScenarioOptions {
  /** Pipeline settings (environment variables) on top of the fast defaults. */
  settings?: Record<string, string>;
  /** A Temporal server of the scenario's own; default: the suite's. */
  temporalAddress?: string;
}

/**
 * One scenario's pipeline on the real local stack: its own buckets, queues, model version (served by
 * a model server of its own, so faults and usage are the scenario's alone), schedule and task queue,
 * and the production worker as a child process.
 */
export class ScenarioStack {
  readonly uploaded = new Map<string, string>();

  private constructor(
    readonly name: string,
    readonly config: Config,
    readonly clients: ReturnType<typeof createAwsClients>,
    readonly temporal: { client: Client; connection: Connection },
    readonly modelServer: LocalRekognitionServer,
    readonly worker: WorkerProcess,
  ) {}

  static async start(name: string, options: ScenarioOptions = {}): Promise<ScenarioStack> {
    const cleanups: Array<() => Promise<unknown> | void> = [];
    try {
      return await ScenarioStack.startParts(name, options, cleanups);
    } catch (error) {
      // Half a stack would keep jest from exiting: undo what was started, newest first.
      for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
      throw error;
    }
  }

  private static async startParts(
    name: string,
    options: ScenarioOptions,
    cleanups: Array<() => Promise<unknown> | void>,
  ): Promise<ScenarioStack> {
    const unique = `${name}-${Date.now().toString(36)}`;
    const projectVersionArn = await cloneModelVersion(testEnv('modelsDir'), testEnv('modelArn'), unique);
    const modelServer = await startLocalRekognitionServer({
      modelsDir: testEnv('modelsDir'),
      s3Endpoint: testEnv('motoEndpoint'),
      ...MODEL_SERVER_SETTINGS,
    });
    cleanups.push(() => modelServer.close());
    const temporalAddress = options.temporalAddress ?? testEnv('temporalAddress');
    const { env, config, clients } = await provisionWorkerEnv(
      workerEnv(
        `fx-${unique}`,
        { temporalAddress, modelServerUrl: modelServer.url, projectVersionArn },
        { ...FAST_PIPELINE_SETTINGS, ...options.settings },
      ),
    );
    cleanups.push(() => clients.destroy());

    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.push(() => connection.close());
    const client = new Client({ connection });
    await upsertSchedule(client, config, DORMANT_CADENCE);
    cleanups.push(() => scheduleHandle(client, config).delete());
    const logDir = mkdtempSync(join(tmpdir(), `clb-faults-${name}-`));
    const worker = new WorkerProcess(env, join(logDir, 'worker.log'));
    cleanups.push(() => worker.stop());
    await worker.start();
    return new ScenarioStack(name, config, clients, { client, connection }, modelServer, worker);
  }

  /** Uploads every file (so S3 sends one event each), remembering each one's ETag. */
  async upload(files: BatchFile[]): Promise<void> {
    await forEachConcurrently(files, async (file) => {
      const { ETag } = await this.clients.s3.send(
        new PutObjectCommand({ Bucket: this.config.sourceBucket, Key: file.key, Body: file.body }),
      );
      this.uploaded.set(file.key, ETag ?? '');
    });
  }

  /** Makes `count` batch files under `prefix` (see makeBatchFiles) and uploads them. */
  async uploadBatchFiles(prefix: string, count: number): Promise<BatchFile[]> {
    const files = await makeBatchFiles(prefix, count);
    await this.upload(files);
    return files;
  }

  /** Triggers a batch through the schedule, as `run` and `npm start` do. */
  startBatch(): Promise<BatchHandle> {
    return startBatchNow(this.temporal.client, this.config);
  }

  /** Waits for the batch (and its continue-as-new successors) to end; rejects if it fails. */
  finish(handle: BatchHandle): Promise<BatchSummary> {
    return followBatch(handle, () => undefined, 250);
  }

  /**
   * After a run ended early: the next batch, run to its end. Triggered, as the schedule's next run would
   * be, once the schedule lets it start and the messages the ended run held are visible again: a batch
   * that finds messages held elsewhere leaves them to the run after it.
   */
  async finishNextBatch(): Promise<BatchSummary> {
    await this.waitUntilNoBatchRuns();
    await this.waitUntilNoMessageIsHeld();
    return this.finish(await this.startBatch());
  }

  /**
   * The schedule's next batches, until the queue is empty: a batch ends rather than wait for messages
   * held elsewhere, such as those a receive took on a worker killed before it could report them.
   */
  async finishLeftBehind(): Promise<BatchSummary[]> {
    const summaries: BatchSummary[] = [];
    while ((await this.queuedMessages()) > 0) {
      if (summaries.length === MAX_FOLLOW_UP_BATCHES) {
        throw new Error(`messages are still queued after ${MAX_FOLLOW_UP_BATCHES} more batches`);
      }
      summaries.push(await this.finishNextBatch());
    }
    return summaries;
  }

  private async waitUntilNoMessageIsHeld(): Promise<void> {
    const deadline = Date.now() + this.config.messageVisibilityTimeoutMs + 30_000;
    const activities = createActivities(this.clients);
    while ((await activities.countQueuedMessages(this.config.queueUrl)).inFlight > 0) {
      if (Date.now() > deadline)
        throw new Error('messages are still held a visibility timeout after the run ended');
      await sleep(500);
    }
  }

  /** Polls the batch's progress until `reached` holds; a query can fail while no worker is up. */
  async waitForProgress(
    handle: BatchHandle,
    reached: (progress: BatchProgress) => boolean,
    timeoutMs = 120_000,
  ): Promise<BatchProgress> {
    const deadline = Date.now() + timeoutMs;
    let last: BatchProgress | undefined;
    while (Date.now() < deadline) {
      last = (await handle.query(progressQuery).catch(() => undefined)) ?? last;
      if (last && reached(last)) return last;
      await sleep(100);
    }
    throw new Error(
      `the batch did not reach the awaited progress in ${timeoutMs} ms; last: ${JSON.stringify(last)}`,
    );
  }

  /** Waits until `share` (0–1) of `total` messages are done, so that a fault lands at that point of the batch. */
  waitForShareDone(handle: BatchHandle, share: number, total: number): Promise<BatchProgress> {
    return this.waitForProgress(handle, (progress) => messagesDone(progress) >= share * total);
  }

  /** The schedule sees a terminated or cancelled batch end shortly after; a trigger before that is skipped. */
  async waitUntilNoBatchRuns(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { info } = await scheduleHandle(this.temporal.client, this.config).describe();
      if (info.runningActions.length === 0) return;
      await sleep(100);
    }
    throw new Error(`the schedule still lists a running batch after ${timeoutMs} ms`);
  }

  async modelStatus(): Promise<string> {
    return (await createActivities(this.clients).describeModel(this.config.projectVersionArn)).status;
  }

  async queuedMessages(): Promise<number> {
    return (await createActivities(this.clients).countQueuedMessages(this.config.queueUrl)).total;
  }

  /** The model server's accounting for this scenario's model version. */
  modelUsage() {
    const usage = this.modelServer
      .usage()
      .versions.find((version) => version.projectVersionArn === this.config.projectVersionArn);
    if (!usage) throw new Error(`the model server never saw ${this.config.projectVersionArn}`);
    return usage;
  }

  async close(): Promise<void> {
    const schedule = scheduleHandle(this.temporal.client, this.config);
    // A scenario that failed half-way may leave its batch running: it must not outlive the scenario.
    const running = await schedule.describe().then(
      ({ info }) => info.runningActions.map((action) => action.workflow.workflowId),
      () => [],
    );
    for (const workflowId of running) {
      await this.temporal.client.workflow
        .getHandle(workflowId)
        .terminate('fault scenario cleanup')
        .catch(() => undefined);
    }
    await schedule.delete().catch(() => undefined);
    await this.worker.stop();
    await this.modelServer.close();
    this.clients.destroy();
    await this.temporal.connection.close();
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Messages a batch has finished with, whatever the outcome. */
function messagesDone(progress: BatchProgress): number {
  const { processed, failed, skipped, deadLettered } = progress.counts;
  return processed + failed + skipped + deadLettered;
}
