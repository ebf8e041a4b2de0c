import { PutObjectCommand } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { Client, Connection } from '@temporalio/client';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followBatch, startBatchNow } from '../../src/batch-runs';
import type { LocalRekognitionServer } from '../../src/local/rekognition';
import { scheduleHandle } from '../../src/schedule';
import type { BatchSummary } from '../../src/workflows/batch-types';
import { provisionWorkerEnv, workerEnv } from '../faults/support/worker-env';
import { WorkerProcess } from '../faults/support/worker-process';
import { startTestModelServer } from '../support/model-server';
import { sampleImage, sampleLabels } from '../support/rekognition';
import { testEnv } from '../support/test-env';

export interface ObservedBatch {
  summary: BatchSummary;
  workflowId: string;
  /** Images that were labelled: the sample images (a text file is rejected, a message dead-lettered). */
  imageCount: number;
  worker: WorkerProcess;
  modelServer: LocalRekognitionServer;
}

/**
 * The production worker in a process of its own (a Runtime is installed once per process) with the
 * telemetry `telemetryEnv` configures and JSON logs, running one mixed batch from its schedule: the
 * sample images, a text file the model rejects and a message that is not an event. `beforeStop` runs
 * once the batch ended, while the worker still runs; the worker is stopped (SIGTERM) before this returns.
 */
export async function runObservedBatch(
  telemetryEnv: Record<string, string>,
  beforeStop: () => Promise<void> = () => Promise.resolve(),
): Promise<ObservedBatch> {
  const modelServer = await startTestModelServer();
  const { env, config, clients } = await provisionWorkerEnv(
    workerEnv(
      `obs${Date.now().toString(36)}`,
      {
        temporalAddress: testEnv('temporalAddress'),
        modelServerUrl: modelServer.url,
        projectVersionArn: testEnv('modelArn'),
      },
      {
        STATUS_POLL_INTERVAL: '200ms',
        CONCURRENCY: '4',
        DETECT_RATE_LIMIT: '20',
        LOG_FORMAT: 'json',
        // Node's own warnings (e.g. the AWS SDK's about Node 20) are plain text on stderr, not our logs.
        NODE_NO_WARNINGS: '1',
        ...telemetryEnv,
      },
    ),
  );

  const labels = sampleLabels();
  for (const [i, label] of labels.entries()) {
    await clients.s3.send(
      new PutObjectCommand({ Bucket: config.sourceBucket, Key: `in/${i}.jpg`, Body: sampleImage(label) }),
    );
  }
  await clients.s3.send(
    new PutObjectCommand({ Bucket: config.sourceBucket, Key: 'in/notes.txt', Body: 'not an image' }),
  );
  await clients.sqs.send(new SendMessageCommand({ QueueUrl: config.queueUrl, MessageBody: 'not an event' }));

  const worker = new WorkerProcess(
    env,
    join(mkdtempSync(join(tmpdir(), 'clb-observability-')), 'worker.log'),
  );
  try {
    await worker.start();
    const connection = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    let summary: BatchSummary;
    let workflowId: string;
    try {
      const client = new Client({ connection });
      const handle = await startBatchNow(client, config);
      workflowId = handle.workflowId;
      summary = await followBatch(handle, () => undefined, 200);
      await scheduleHandle(client, config).delete();
    } finally {
      await connection.close();
    }
    await beforeStop();
    return { summary, workflowId, imageCount: labels.length, worker, modelServer };
  } catch (error) {
    await modelServer.close();
    throw error;
  } finally {
    await worker.stop();
    clients.destroy();
  }
}
