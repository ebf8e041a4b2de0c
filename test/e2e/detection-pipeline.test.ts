import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createAwsClients } from '../../src/aws-clients';
import { followBatch, startBatchNow } from '../../src/batch-runs';
import { loadConfig, type Config } from '../../src/config/config';
import { trainDetectionModel } from '../../src/local/model';
import { startLocalRekognitionServer, type LocalRekognitionServer } from '../../src/local/rekognition';
import { PROJECT_DIR } from '../../src/local/stack/python-tools';
import { provisionRequestFromConfig, provisionResources } from '../../src/provision';
import { createBatchWorkers } from '../../src/worker';
import { outputKeys } from '../../src/workflows/output-keys';
import { connectToTestTemporal, uniqueTaskQueue, type TemporalTestContext } from '../support/temporal';
import { TEST_CONTINUE_AS_NEW_EVENTS, testEnv } from '../support/test-env';

const SAMPLE_DIR = join(PROJECT_DIR, 'sample-detection');
const IMAGES = ['images/shapes-001.jpg', 'images/shapes-002.png', 'images/shapes-003.jpg'];

let temporal: TemporalTestContext;
let modelServer: LocalRekognitionServer;
let modelsDir: string;
let projectVersionArn: string;

beforeAll(async () => {
  modelsDir = await mkdtemp(join(tmpdir(), 'clb-e2e-detection-'));
  ({ projectVersionArn } = await trainDetectionModel({
    manifestPath: join(SAMPLE_DIR, 'train.manifest'),
    project: 'sample-shapes',
    version: 'e2e',
    modelsDir,
  }));
  temporal = await connectToTestTemporal();
  modelServer = await startLocalRekognitionServer({
    modelsDir,
    s3Endpoint: testEnv('motoEndpoint'),
    startDelayMs: 300,
    stopDelayMs: 100,
    transactionsPerSecondPerInferenceUnit: 20,
  });
});

afterAll(async () => {
  await modelServer.close();
  await temporal.close();
  await rm(modelsDir, { recursive: true, force: true });
});

it('writes the boxes of an object-detection model into each image’s labels JSON', async () => {
  const run = uniqueTaskQueue('e2e-detection').toLowerCase();
  const suffix = run.replace(/[^a-z0-9]/g, '').slice(-12);
  const edgeConfig = loadConfig({
    SOURCE_BUCKET: `e2e-det-src-${suffix}`,
    RESULTS_BUCKET: `e2e-det-out-${suffix}`,
    QUEUE_URL: `${testEnv('motoEndpoint')}/123456789012/e2e-det-${suffix}`,
    PROJECT_VERSION_ARN: projectVersionArn,
    AWS_ENDPOINT_URL: testEnv('motoEndpoint'),
    AWS_ENDPOINT_URL_REKOGNITION: modelServer.url,
    STATUS_POLL_INTERVAL: '200ms',
    CONTINUE_AS_NEW_AFTER_EVENTS: String(TEST_CONTINUE_AS_NEW_EVENTS),
    TASK_QUEUE: run,
  });
  const clients = createAwsClients(edgeConfig);
  const resources = await provisionResources(clients, provisionRequestFromConfig(edgeConfig));
  const config: Config = {
    ...edgeConfig,
    queueUrl: resources.queueUrl,
    deadLetterQueueUrl: resources.deadLetterQueueUrl,
  };
  for (const key of IMAGES) {
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: config.sourceBucket,
        Key: key,
        Body: await readFile(join(SAMPLE_DIR, key)),
      }),
    );
  }

  const workers = await createBatchWorkers({
    connection: temporal.nativeConnection,
    namespace: 'default',
    config,
    deps: clients,
    workflowBundle: temporal.workflowBundle,
  });
  const running = workers.run();
  try {
    const summary = await followBatch(await startBatchNow(temporal.client, config), () => undefined, 200);
    expect(summary.counts).toMatchObject({ processed: IMAGES.length, failed: 0 });
    for (const key of IMAGES) {
      const { Body } = await clients.s3.send(
        new GetObjectCommand({ Bucket: config.resultsBucket, Key: outputKeys(key).labels }),
      );
      const { customLabels } = JSON.parse(await Body!.transformToString()) as {
        customLabels: Array<{ Name: string; Geometry?: { BoundingBox?: Record<string, number> } }>;
      };
      expect(customLabels.length).toBeGreaterThanOrEqual(1);
      for (const label of customLabels) {
        expect(label.Geometry?.BoundingBox).toEqual({
          Width: expect.any(Number),
          Height: expect.any(Number),
          Left: expect.any(Number),
          Top: expect.any(Number),
        });
      }
    }
  } finally {
    workers.shutdown();
    await running;
    clients.destroy();
  }
});
